/**
 * Evidence of the leaderless-store checkers as HTML: stale reads with the
 * write each missed (quorum), session violations with their two operations
 * (session), replica copies that differ and writes lost (convergence), and
 * the consistency ladder level by level.
 */
import type { LadderResult } from '../checkers/consistency-ladder.js';
import type { ConvergenceResult } from '../checkers/convergence.js';
import type { OpRef } from '../checkers/keyed-versions.js';
import type { QuorumResult } from '../checkers/quorum.js';
import type { OpEvidence, SessionResult } from '../checkers/session.js';
import { esc, show } from './escape.js';
import { fmtCount } from './format.js';

/** Rows listed per table (the counts say how many there were). */
export const MAX_ROWS = 100;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function isQuorumResult(x: unknown): x is QuorumResult {
  return isObject(x) && typeof x.staleCount === 'number' && Array.isArray(x.stale) && typeof x.maxStaleMs === 'number';
}

export function isSessionResult(x: unknown): x is SessionResult {
  return isObject(x) && isObject(x.counts) && Array.isArray(x.violations) && typeof x.sessions === 'number';
}

export function isConvergenceResult(x: unknown): x is ConvergenceResult {
  return isObject(x) && typeof x.divergentCount === 'number' && Array.isArray(x.lost) && typeof x.rule === 'string';
}

export function isLadderResult(x: unknown): x is LadderResult {
  return isObject(x) && typeof x.highest === 'string' && Array.isArray(x.levels) && typeof x.line === 'string';
}

/** Whether a checker found violations of a level the store did not promise (reported, not failed). */
export function foundNotPromised(details: unknown): boolean {
  return isObject(details) && details.notPromised === true;
}

const facts = (rows: [string, string][]) => `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;

const opCell = (r: OpRef, what: string) =>
  `<td><span class="num">op ${esc(r.index)}${r.completionIndex === undefined ? '' : `→${esc(r.completionIndex)}`}</span> · process ${esc(r.process)}${r.node ? ` via ${esc(r.node)}` : ''}<br><code>${esc(what)}</code></td>`;

function more(listed: number, total: number): string {
  return total > listed ? `<p class="muted">${fmtCount(total - listed)} more not listed (the first ${fmtCount(listed)} are).</p>` : '';
}

export function renderQuorum(r: QuorumResult): string {
  const parts = [
    facts([
      ['reads judged', `${fmtCount(r.readsChecked)} of ${fmtCount(r.reads)}`],
      ['acknowledged writes', fmtCount(r.acknowledgedWrites)],
      ['keys', fmtCount(r.keys)],
      ['stale reads', fmtCount(r.staleCount)],
      ['most versions behind', fmtCount(r.maxVersionsBehind)],
      ['most ms behind', String(r.maxStaleMs)],
    ]),
  ];
  if (r.stale.length > 0) {
    const rows = r.stale
      .slice(0, MAX_ROWS)
      .map(
        (s) =>
          `<tr><td><code>${esc(show(s.key, 40))}</code></td>${opCell(s.read, `read ${show(s.read.values, 80)}`)}${opCell(s.missed, `write ${show(s.missed.value, 40)}`)}` +
          `<td class="num">${esc(s.versionsBehind)}</td><td class="num">${esc(s.staleMs)}</td></tr>`,
      )
      .join('');
    parts.push(
      '<h5>Stale reads: each missed a write acknowledged before it began</h5>',
      `<table class="ops"><tr><th>key</th><th>the read</th><th>the earliest write it missed</th><th>versions behind</th><th>ms behind</th></tr>${rows}</table>`,
      more(Math.min(r.stale.length, MAX_ROWS), r.staleCount),
    );
  }
  if (r.impossible.length > 0) {
    const rows = r.impossible.slice(0, MAX_ROWS).map((i) => `<tr><td><code>${esc(show(i.key, 40))}</code></td>${opCell(i.read, `read ${show(i.value, 40)}`)}<td>${esc(i.why)}</td></tr>`).join('');
    parts.push('<h5>Values no write could have produced</h5>', `<table class="ops"><tr><th>key</th><th>the read</th><th>why</th></tr>${rows}</table>`);
  }
  return parts.join('');
}

const evidenceCell = (e: OpEvidence | undefined) => (e ? opCell(e, e.description) : '<td class="muted">—</td>');

export function renderSession(r: SessionResult): string {
  const counts = Object.entries(r.counts).map(([g, n]): [string, string] => [g, fmtCount(n)]);
  const parts = [facts([['sessions', fmtCount(r.sessions)], ['reads judged', fmtCount(r.readsChecked)], ...counts])];
  if (r.violations.length > 0) {
    const rows = r.violations
      .slice(0, MAX_ROWS)
      .map((v) => `<tr><td>${esc(v.guarantee)}</td><td class="num">${esc(v.process)}</td><td><code>${esc(show(v.key, 40))}</code></td>${evidenceCell(v.first)}${evidenceCell(v.second)}${evidenceCell(v.witness)}</tr>`)
      .join('');
    const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
    parts.push(
      '<h5>Violations: the session\'s earlier operation, the later one the guarantee orders after it, and the read that shows a write order broken</h5>',
      `<table class="ops"><tr><th>guarantee</th><th>session</th><th>key</th><th>earlier</th><th>later</th><th>shown by</th></tr>${rows}</table>`,
      more(Math.min(r.violations.length, MAX_ROWS), total),
    );
  }
  return parts.join('');
}

export function renderConvergence(r: ConvergenceResult): string {
  const rows: [string, string][] = [
    ['keys', fmtCount(r.keys)],
    ['replicas agreed', r.agreed ? 'yes' : 'no'],
    ['looks', fmtCount(r.attempts)],
    ['acknowledged writes', fmtCount(r.acknowledged)],
    ['lost', fmtCount(r.lostCount)],
    ['survival rule', r.rule],
  ];
  if (r.convergedAfterMs !== undefined) rows.splice(2, 0, ['converged after the heal', `${(r.convergedAfterMs / 1000).toFixed(1)} s`]);
  if (r.lookedForMs !== undefined) rows.splice(2, 0, ['still differing after the heal', `${(r.lookedForMs / 1000).toFixed(1)} s`]);
  const parts = [facts(rows)];
  if (r.divergent.length > 0) {
    const body = r.divergent
      .map((d) => `<tr><td><code>${esc(show(d.key, 40))}</code></td><td>${Object.entries(d.replicas).map(([n, v]) => `${esc(n)}: <code>${esc(show(v, 100))}</code>`).join('<br>')}</td></tr>`)
      .join('');
    parts.push('<h5>Keys whose replicas differ</h5>', `<table class="ops"><tr><th>key</th><th>each replica's siblings</th></tr>${body}</table>`, more(r.divergent.length, r.divergentCount));
  }
  if (r.lost.length > 0) {
    const body = r.lost
      .slice(0, MAX_ROWS)
      .map((l) => `<tr><td><code>${esc(show(l.key, 40))}</code></td>${opCell(l.write, l.write.description)}<td><code>${esc(show(l.survivors, 100))}</code></td></tr>`)
      .join('');
    parts.push('<h5>Acknowledged writes lost</h5>', `<table class="ops"><tr><th>key</th><th>the write</th><th>what the replicas kept</th></tr>${body}</table>`, more(Math.min(r.lost.length, MAX_ROWS), r.lostCount));
  }
  return parts.join('');
}

const LEVEL_LABEL: Record<string, string> = { strong: 'strong (quorum reads)', session: 'session guarantees', eventual: 'eventual (convergence)' };

export function renderLadder(r: LadderResult): string {
  const rows = [...r.levels]
    .reverse()
    .map((l) => {
      const held = !l.checked ? '<td class="muted">not checked</td>' : l.verdict === true ? '<td class="ok">held</td>' : l.verdict === false ? `<td class="fail">broken: ${esc(l.violations ?? '')}</td>` : '<td class="info">could not tell</td>';
      return `<tr${l.level === r.highest ? ' class="total"' : ''}><td>${esc(LEVEL_LABEL[l.level] ?? l.level)}</td>${held}<td>${l.promised ? 'promised' : '<span class="muted">not promised</span>'}</td></tr>`;
    })
    .join('');
  return `<p class="explanation">${esc(r.line)}</p><table class="ops"><tr><th>level</th><th>in this run</th><th>by ${esc(r.promisedBecause)}</th></tr>${rows}</table>`;
}

/** The rendering of a leaderless-store checker's details, or undefined when they are not one. */
export function renderReplicated(details: unknown): string | undefined {
  if (isLadderResult(details)) return renderLadder(details);
  if (isQuorumResult(details)) return renderQuorum(details);
  if (isSessionResult(details)) return renderSession(details);
  if (isConvergenceResult(details)) return renderConvergence(details);
  return undefined;
}
