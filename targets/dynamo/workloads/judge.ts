/**
 * From a run's history to the outcomes of the checkers and the ladder line.
 * What the configuration promises (settings.ts) decides which broken levels
 * fail the run: a checker whose level was not promised reports what it
 * found with `valid: true`, its summary saying so, and `notPromised: true`
 * in its details (the report shows it as found, not promised); the
 * `consistency` outcome says which level held.
 */
import { climbLadder, LEVELS, type Level, type LevelCheck } from '../../../checkers/consistency-ladder.js';
import { checkConvergence, convergenceSummary } from '../../../checkers/convergence.js';
import { checkQuorum, quorumSummary } from '../../../checkers/quorum.js';
import { checkSessions, GUARANTEES, sessionSummary } from '../../../checkers/session.js';
import { checkSet } from '../../../checkers/set.js';
import type { History } from '../../../harness/history/op.js';
import { combineVerdicts, type CheckerOutcome } from '../../../harness/run-record.js';
import { setOutcome } from '../../../harness/workloads/set.js';
import { promiseOf, type DynamoSettings } from '../settings.js';

export interface Judged {
  /** Which checkers the workload's history feeds. */
  quorum?: boolean;
  session?: boolean;
  /** The set workload's adds and reads (checkers/set.ts). */
  set?: boolean;
}

const promisedAt = (promised: Level, level: Level) => LEVELS.indexOf(level) <= LEVELS.indexOf(promised);

/** A checker's outcome, reported but not failed when its level was not promised. */
function outcome(valid: CheckerOutcome['valid'], summary: string, details: object, promised: boolean, because: string): CheckerOutcome {
  if (valid !== false || promised) return { valid, summary, details: { ...details, promised } };
  return { valid: true, summary: `not promised (${because}), found: ${summary}`, details: { ...details, promised, notPromised: true } };
}

export function judge(history: History, s: DynamoSettings, what: Judged): Record<string, CheckerOutcome> {
  const promise = promiseOf(s);
  // Vector clocks keep concurrent writes as siblings; last-write-wins lets one of them win.
  const rule = s.resolution === 'vclock' ? 'siblings' : 'newer-wins';
  const out: Record<string, CheckerOutcome> = {};
  const checks: Partial<Record<Exclude<Level, 'weak'>, LevelCheck>> = {};
  if (what.quorum) {
    const r = checkQuorum(history, { rule });
    const summary = quorumSummary(r);
    out.quorum = outcome(r.valid, summary, r, promisedAt(promise.level, 'strong'), promise.because);
    const broken = [r.staleCount > 0 && `${r.staleCount} stale reads`, r.impossible.length > 0 && `${r.impossible.length} reads of values never written`];
    checks.strong = { verdict: r.valid, violations: broken.filter(Boolean).join(', ') };
  }
  if (what.session) {
    const r = checkSessions(history, { rule });
    out.session = outcome(r.valid, sessionSummary(r), r, promisedAt(promise.level, 'session'), promise.because);
    checks.session = { verdict: r.valid, violations: GUARANTEES.filter((g) => r.counts[g] > 0).map((g) => `${r.counts[g]} ${g} violations`).join(', ') };
  }
  const eventual = promisedAt(promise.level, 'eventual');
  const c = checkConvergence(history, { rule });
  out.convergence = outcome(c.valid, convergenceSummary(c), c, eventual, promise.because);
  const lost: string[] = [];
  if (!c.agreed && c.valid === false) lost.push(c.divergentCount > 0 ? `${c.divergentCount} keys never converged` : 'replicas never agreed');
  if (c.lostCount > 0) lost.push(`${c.lostCount} acknowledged writes lost`);
  let verdict = c.valid;
  if (what.set) {
    const r = checkSet(history, { linearizable: false });
    const o = setOutcome(r);
    out.set = outcome(o.valid, o.summary, r, eventual, promise.because);
    if (r.lost.length > 0) lost.push(`${r.lost.length} acknowledged adds lost`);
    else if (r.valid === false) lost.push(o.summary);
    verdict = combineVerdicts([verdict, r.valid]);
  }
  checks.eventual = { verdict, violations: lost.join(', ') };
  const ladder = climbLadder({ checks, promised: promise.level, promisedBecause: promise.because });
  out.consistency = { valid: ladder.valid, summary: ladder.line, details: ladder };
  return out;
}
