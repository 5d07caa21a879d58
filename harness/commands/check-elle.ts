/**
 * `harness check --checker elle-list-append|elle-rw-register`: transactional
 * histories checked for the anomalies of Adya and Elle, against the
 * consistency models asked for.
 */
import { InputError, isUserError, UsageError } from '../errors.js';
import { parseFormat, readHistory, type HistoryFormat } from '../history/read.js';
import { Budget } from '../budget.js';
import { combineVerdicts, exitCodeFor, type Verdict } from '../run-record.js';
import { checkListAppend } from '../../checkers/elle/list-append.js';
import { checkRwRegister } from '../../checkers/elle/rw-register.js';
import { MODELS, modelNamed, type Model } from '../../checkers/elle/consistency-models.js';
import type { ElleResult } from '../../checkers/elle/result.js';

export const ELLE_CHECKERS = ['elle-list-append', 'elle-rw-register'] as const;
export type ElleChecker = (typeof ELLE_CHECKERS)[number];

export interface ElleCheckOptions {
  checker: ElleChecker;
  consistencyModels?: string;
  format: string;
  json?: boolean;
  timeout: string;
  maxMemory: string;
  linearizableKeys?: boolean;
  sequentialKeys?: boolean;
}

export interface ElleFileReport {
  file: string;
  checker: ElleChecker;
  valid: Verdict;
  ops: number;
  /** Time spent in the checker, parsing excluded. */
  checkMs: number;
  format?: HistoryFormat;
  anomalyTypes?: ElleResult['anomalyTypes'];
  not?: ElleResult['not'];
  alsoNot?: ElleResult['alsoNot'];
  result?: ElleResult;
  warnings?: string[];
  error?: string;
}

export function isElleChecker(name: string): name is ElleChecker {
  return (ELLE_CHECKERS as readonly string[]).includes(name);
}

/** `--consistency-models a,b`: known names only, or one message listing them. */
export function parseModels(s: string | undefined): Model[] | undefined {
  if (s === undefined) return undefined;
  return s.split(',').map((name) => {
    const m = modelNamed(name.trim());
    if (!m) throw new UsageError(`unknown consistency model '${name.trim()}'; expected one of ${MODELS.join(', ')}`);
    return m;
  });
}

function positive(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number; found ${s}`);
  return n;
}

export function checkFileElle(file: string, o: ElleCheckOptions): ElleFileReport {
  const format = parseFormat(o.format);
  const consistencyModels = parseModels(o.consistencyModels);
  const budget = new Budget(positive(o.timeout, '--timeout') * 1000, positive(o.maxMemory, '--max-memory') * 1024 * 1024);
  try {
    const loaded = readHistory(file, format);
    const opts = { consistencyModels, shouldStop: () => budget.exceeded(), now: () => performance.now() };
    const t0 = performance.now();
    const result =
      o.checker === 'elle-list-append'
        ? checkListAppend(loaded.ops, opts)
        : checkRwRegister(loaded.ops, { ...opts, linearizableKeys: o.linearizableKeys === true, sequentialKeys: o.sequentialKeys === true });
    const checkMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const report: ElleFileReport = {
      file,
      checker: o.checker,
      valid: result.valid,
      ops: loaded.ops.length,
      checkMs,
      format: loaded.format,
      anomalyTypes: result.anomalyTypes,
      not: result.not,
      alsoNot: result.alsoNot,
      result,
    };
    if (loaded.warnings.length > 0) report.warnings = loaded.warnings;
    return report;
  } catch (e) {
    if (e instanceof UsageError || !isUserError(e)) throw e;
    const error = e instanceof InputError ? e.message : `${file}: ${e.message}`;
    return { file, checker: o.checker, valid: 'unknown', ops: 0, checkMs: 0, error };
  }
}

/** The verdict line, and under an invalid or unknown one each anomaly type's first explanation. */
export function describeElleReport(r: ElleFileReport): string {
  if (r.error !== undefined) return `ERROR    ${r.error}`;
  const res = r.result!;
  const head = `${r.valid === true ? 'valid   ' : r.valid === false ? 'INVALID ' : 'unknown '} ${r.file} (${r.checker}, ${res.transactions} txns, ${r.checkMs.toFixed(1)} ms): ${res.summary}`;
  const lines = [head];
  for (const type of res.anomalyTypes) {
    const first = res.anomalies.find((a) => a.type === type);
    const more = (res.anomalyCounts[type] ?? 1) - 1;
    lines.push('', `  ${type}${more > 0 ? ` (and ${more} more)` : ''}:`);
    if (first) lines.push(...first.explanation.split('\n').map((l) => (l ? `    ${l}` : '')));
  }
  return lines.join('\n');
}

/** One JSON object per file: the report, with Elle's spelling of its field names alongside. */
export function elleJson(r: ElleFileReport): string {
  return JSON.stringify({ ...r, 'anomaly-types': r.anomalyTypes, 'also-not': r.alsoNot });
}

/** Check each file and print; the exit status (0 valid, 1 invalid, 2 input error, 3 unknown). */
export function elleCheckCommand(files: string[], o: ElleCheckOptions, out: { stdout(s: string): void; stderr(s: string): void }): number {
  const reports = files.map((file) => {
    const r = checkFileElle(file, o);
    if (o.json) out.stdout(elleJson(r) + '\n');
    else if (r.error !== undefined) out.stderr(describeElleReport(r) + '\n');
    else out.stdout(describeElleReport(r) + '\n');
    for (const w of r.warnings ?? []) out.stderr(`warning: ${w}\n`);
    return r;
  });
  if (reports.some((r) => r.error !== undefined)) return 2;
  return exitCodeFor(combineVerdicts(reports.map((r) => r.valid)));
}
