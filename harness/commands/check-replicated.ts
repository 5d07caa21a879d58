/**
 * `harness check --checker quorum|session|convergence FILE...`: the checkers
 * of replicated stores without linearizability, on recorded histories of
 * keyed reads and writes (shape in checkers/keyed-versions.ts; convergence
 * also needs the final `converge` operations, checkers/convergence.ts).
 */
import { isUserError } from '../errors.js';
import { parseFormat, readHistory } from '../history/read.js';
import type { History } from '../history/op.js';
import { combineVerdicts, exitCodeFor, type Verdict } from '../run-record.js';
import { checkConvergence, convergenceSummary, type ConvergenceResult } from '../../checkers/convergence.js';
import { checkQuorum, quorumSummary, type QuorumResult } from '../../checkers/quorum.js';
import { checkSessions, sessionSummary, type SessionResult } from '../../checkers/session.js';

export const REPLICATED_CHECKERS = ['quorum', 'session', 'convergence'] as const;
export type ReplicatedChecker = (typeof REPLICATED_CHECKERS)[number];

export function isReplicatedChecker(name: string): name is ReplicatedChecker {
  return (REPLICATED_CHECKERS as readonly string[]).includes(name);
}

export interface ReplicatedCheckOptions {
  checker: ReplicatedChecker;
  format: string;
  json?: boolean;
  /** The store keeps concurrent writes as siblings (vector clocks): the `siblings` rule of checkers/keyed-versions.ts. */
  siblings?: boolean;
}

type Result = QuorumResult | SessionResult | ConvergenceResult;

export interface ReplicatedFileReport {
  file: string;
  checker: ReplicatedChecker;
  valid: Verdict;
  ops: number;
  checkMs: number;
  summary?: string;
  result?: Result;
  error?: string;
}

/** Evidence lines listed under an invalid verdict. */
const MAX_LINES = 10;

/** The result, its summary, the evidence listed (the first of `total`). */
function run(checker: ReplicatedChecker, ops: History, o: ReplicatedCheckOptions): { result: Result; summary: string; evidence: string[]; total: number } {
  const rule = o.siblings ? 'siblings' : 'newer-wins';
  switch (checker) {
    case 'quorum': {
      const r = checkQuorum(ops, { rule });
      const impossible = r.impossible.map((i) => `key ${JSON.stringify(i.key)}: op ${i.read.index} read ${JSON.stringify(i.value)}: ${i.why}`);
      return { result: r, summary: quorumSummary(r), evidence: [...impossible, ...r.stale.map((s) => s.explanation)], total: r.impossible.length + r.staleCount };
    }
    case 'session': {
      const r = checkSessions(ops, { rule });
      const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
      return { result: r, summary: sessionSummary(r), evidence: r.violations.map((v) => `${v.guarantee}: ${v.explanation}`), total };
    }
    case 'convergence': {
      const r = checkConvergence(ops, { rule });
      const divergent = r.divergent.map((d) => `key ${JSON.stringify(d.key)} differs: ${Object.entries(d.replicas).map(([n, v]) => `${n} ${JSON.stringify(v)}`).join(', ')}`);
      return { result: r, summary: convergenceSummary(r), evidence: [...divergent, ...r.lost.map((l) => l.explanation)], total: r.divergentCount + r.lostCount };
    }
  }
}

export function replicatedCheckCommand(files: readonly string[], o: ReplicatedCheckOptions, io: { stdout(s: string): void; stderr(s: string): void }): number {
  const format = parseFormat(o.format);
  const reports: ReplicatedFileReport[] = [];
  for (const file of files) {
    let report: ReplicatedFileReport;
    let evidence = { lines: [] as string[], total: 0 };
    try {
      const loaded = readHistory(file, format);
      const t0 = performance.now();
      const r = run(o.checker, loaded.ops, o);
      evidence = { lines: r.evidence, total: r.total };
      report = { file, checker: o.checker, valid: r.result.valid, ops: loaded.ops.length, checkMs: Math.round((performance.now() - t0) * 1000) / 1000, summary: r.summary, result: r.result };
      for (const w of loaded.warnings) io.stderr(`warning: ${w}\n`);
    } catch (e) {
      if (!isUserError(e)) throw e;
      report = { file, checker: o.checker, valid: 'unknown', ops: 0, checkMs: 0, error: e.message };
    }
    reports.push(report);
    if (o.json) io.stdout(JSON.stringify(report) + '\n');
    else if (report.error !== undefined) io.stderr(`ERROR    ${report.error}\n`);
    else io.stdout(describe(report, evidence));
  }
  if (reports.some((r) => r.error !== undefined)) return 2;
  return exitCodeFor(combineVerdicts(reports.map((r) => r.valid)));
}

function describe(r: ReplicatedFileReport, evidence: { lines: readonly string[]; total: number }): string {
  const head = r.valid === true ? 'valid   ' : r.valid === false ? 'INVALID ' : 'unknown ';
  const lines = [`${head} ${r.file} (${r.ops} ops, ${r.checker}, ${r.checkMs.toFixed(1)} ms): ${r.summary}`];
  if (r.valid === false) {
    const shown = evidence.lines.slice(0, MAX_LINES);
    for (const e of shown) lines.push(`  ${e}`);
    if (evidence.total > shown.length) lines.push(`  ... and ${evidence.total - shown.length} more (--json lists up to ${evidence.lines.length})`);
  }
  return lines.join('\n') + '\n';
}
