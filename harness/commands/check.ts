/**
 * `harness check FILE...`: check recorded histories for linearizability
 * without running a cluster.
 */
import { isUserError, UsageError } from '../errors.js';
import { parseFormat, readHistory, type HistoryFormat } from '../history/read.js';
import { checkLinearizable, type LinearizabilityResult, type Verdict } from '../../checkers/linearizable/index.js';
import { isModelName, MODEL_NAMES, SEMANTICS, type ModelName, type Semantics } from '../../checkers/linearizable/models/index.js';
import { Budget } from '../budget.js';
import { combineVerdicts, exitCodeFor } from '../run-record.js';

export interface CheckCommandOptions {
  model?: string;
  format: string;
  init?: string;
  json?: boolean;
  timeout: string;
  maxMemory: string;
  semantics?: string;
  perKey?: boolean;
}

export interface FileReport {
  file: string;
  valid: Verdict;
  ops: number;
  /** Time spent in the checker, parsing excluded. */
  checkMs: number;
  format?: HistoryFormat;
  model?: string;
  semantics?: Semantics;
  result?: LinearizabilityResult;
  warnings?: string[];
  error?: string;
}

/** Exit statuses; the verdict ones come from run-record's exitCodeFor. */
export const EXIT = { valid: 0, invalid: 1, error: 2, unknown: 3 } as const;

function parseInit(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    throw new UsageError(`--init must be JSON, e.g. --init 0 or --init '{"x":0,"y":0}'; found ${s}`);
  }
}

function positiveNumber(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number; found ${s}`);
  return n;
}

/** The model, semantics and initial state for a file: explicit options win, then the format's defaults. */
function settingsFor(format: HistoryFormat, o: CheckCommandOptions, init: unknown) {
  let model: ModelName | undefined;
  if (o.model !== undefined) {
    if (!isModelName(o.model)) throw new UsageError(`unknown model '${o.model}'; expected one of ${MODEL_NAMES.join(', ')}`);
    model = o.model;
  } else if (format === 'porcupine-etcd') model = 'cas-register';
  else if (format === 'porcupine-kv') model = 'kv';
  else throw new UsageError(`--model is required for ${format} histories; one of ${MODEL_NAMES.join(', ')}`);
  let semantics: Semantics;
  if (o.semantics === undefined) semantics = format === 'porcupine-etcd' ? 'etcd' : 'knossos';
  else if ((SEMANTICS as readonly string[]).includes(o.semantics)) semantics = o.semantics as Semantics;
  else throw new UsageError(`unknown semantics '${o.semantics}'; expected one of ${SEMANTICS.join(', ')}`);
  return { model, semantics, init };
}

export function checkFile(file: string, o: CheckCommandOptions): FileReport {
  const format = parseFormat(o.format);
  const init = parseInit(o.init);
  const timeoutMs = positiveNumber(o.timeout, '--timeout') * 1000;
  const maxBytes = positiveNumber(o.maxMemory, '--max-memory') * 1024 * 1024;
  try {
    const loaded = readHistory(file, format);
    const s = settingsFor(loaded.format, o, init);
    const budget = new Budget(timeoutMs, maxBytes);
    const t0 = performance.now();
    const result = checkLinearizable(loaded.ops, {
      model: s.model,
      init: s.init,
      semantics: s.semantics,
      perKey: o.perKey === true,
      limits: { shouldStop: (p) => budget.exceeded(p.bytes, p.growthBytes) },
    });
    const checkMs = performance.now() - t0;
    const report: FileReport = {
      file,
      valid: result.valid,
      ops: loaded.ops.length,
      checkMs: Math.round(checkMs * 1000) / 1000,
      format: loaded.format,
      model: s.model,
      semantics: s.semantics,
      result,
    };
    if (loaded.warnings.length > 0) report.warnings = loaded.warnings;
    return report;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (!isUserError(e)) throw e;
    return { file, valid: 'unknown', ops: 0, checkMs: 0, error: e.message };
  }
}

export function exitStatus(reports: readonly FileReport[]): number {
  if (reports.some((r) => r.error !== undefined)) return EXIT.error;
  return exitCodeFor(combineVerdicts(reports.map((r) => r.valid)));
}

/** One line per file, and the counterexample under an invalid one. */
export function describeReport(r: FileReport): string {
  if (r.error !== undefined) return `ERROR    ${r.error}`;
  const res = r.result!;
  const stats = `${r.ops} ops, ${res.model}${res.keys === undefined ? '' : `, ${res.keys} keys`}, ${r.checkMs.toFixed(1)} ms`;
  if (r.valid === true) return `valid    ${r.file} (${stats})`;
  if (r.valid === 'unknown') return `unknown  ${r.file} (${stats}): ${res.unknownReason}`;
  const cx = res.counterexample!;
  const lines = [`INVALID  ${r.file} (${stats})`, `  ${cx.explanation}`];
  if (cx.statesBefore.length > 0) lines.push(`  states it could follow: ${cx.statesBefore.join(', ')}`);
  if (cx.concurrent.length > 0) {
    lines.push(`  concurrent with it (${cx.concurrentCount}):`);
    for (const c of cx.concurrent) lines.push(`    op ${c.index}  process ${c.process}  ${c.description}`);
  }
  if (cx.prefix.length > 0) {
    lines.push(`  a linearizable prefix of ${cx.prefixLength} ops${cx.prefix.length < cx.prefixLength ? `, ending` : ''}:`);
    for (const p of cx.prefix) lines.push(`    op ${p.index}  process ${p.process}  ${p.description}  => ${p.stateAfter}`);
  }
  return lines.join('\n');
}
