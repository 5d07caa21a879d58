/**
 * A suite's matrix: rows of `harness test` settings, from a small YAML or
 * JSON file or from flags. Each entry of `runs` is a matrix of its own: a
 * key whose value is a list gives one row per element (the cross product
 * over every such key), so
 *
 *   runs:
 *     - { target: raft-kv, workload: [register, set], nemesis: [partition, kill] }
 *     - { target: raft-kv, bug: stale-read, nemesis: partition, expect: invalid }
 *
 * is five rows. Keys are the long flags of `harness test` without `--`
 * (and a target's own options, e.g. read-mode); `expect` is `valid` (the
 * default) or `invalid` (a planted-bug row). Pure: parsing and expansion.
 */
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import type { TargetDefinition } from '../target.js';

/** Keys every row may have besides its target's options. */
export const RUN_KEYS = [
  'target',
  'workload',
  'nemesis',
  'nemesis-interval',
  'nodes',
  'concurrency',
  'rate',
  'time-limit',
  'recovery-timeout',
  'seed',
  'provisioner',
  'bug',
] as const;

export type Expect = 'valid' | 'invalid';
export type Scalar = string | number | boolean;

/** One run of the suite: `harness test` settings by flag name (bug: every bug switched on). */
export interface SuiteRow {
  settings: Readonly<Record<string, string>>;
  bugs: readonly string[];
  expect: Expect;
}

export interface SuiteFile {
  name?: string;
  defaults: Record<string, Scalar>;
  runs: Record<string, Scalar | Scalar[]>[];
}

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Read a suite file's text (YAML, or JSON, which is YAML too). */
export function parseSuiteFile(text: string, source: string): SuiteFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not YAML or JSON: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UsageError(`${source}: expected a mapping with \`runs\` (a list of matrices)`);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!['name', 'defaults', 'runs'].includes(k)) throw new UsageError(`${source}: unknown key '${k}' (expected name, defaults, runs)`);
  if (!Array.isArray(d['runs']) || d['runs'].length === 0) throw new UsageError(`${source}: \`runs\` must be a non-empty list of matrices`);
  const defaults = (d['defaults'] ?? {}) as Record<string, unknown>;
  if (typeof defaults !== 'object' || Array.isArray(defaults)) throw new UsageError(`${source}: \`defaults\` must be a mapping`);
  for (const [k, v] of Object.entries(defaults)) if (!isScalar(v)) throw new UsageError(`${source}: defaults.${k} must be a single value`);
  const runs = (d['runs'] as unknown[]).map((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new UsageError(`${source}: runs[${i}] must be a mapping`);
    for (const [k, v] of Object.entries(r)) {
      const ok = isScalar(v) || (Array.isArray(v) && v.length > 0 && v.every(isScalar));
      if (!ok) throw new UsageError(`${source}: runs[${i}].${k} must be a value or a non-empty list of values`);
    }
    return r as Record<string, Scalar | Scalar[]>;
  });
  return { ...(typeof d['name'] === 'string' ? { name: d['name'] } : {}), defaults: defaults as Record<string, Scalar>, runs };
}

/** Every combination of a matrix's list values, in key order (the last key varies fastest). */
export function expandMatrix(m: Readonly<Record<string, Scalar | readonly Scalar[]>>): Record<string, Scalar>[] {
  let rows: Record<string, Scalar>[] = [{}];
  for (const [k, v] of Object.entries(m)) {
    const values = Array.isArray(v) ? (v as readonly Scalar[]) : [v as Scalar];
    rows = rows.flatMap((r) => values.map((x) => ({ ...r, [k]: x })));
  }
  return rows;
}

/**
 * The rows of a suite: each matrix expanded, over `defaults` and then
 * `overrides` (the command line's), a row's own values winning; checked
 * against the targets, so a typo stops the suite before any run.
 */
export function suiteRows(
  file: Pick<SuiteFile, 'defaults' | 'runs'>,
  overrides: Readonly<Record<string, Scalar>>,
  targetByName: (name: string) => TargetDefinition,
): SuiteRow[] {
  return file.runs.flatMap((matrix, i) =>
    expandMatrix(matrix).map((values) => {
      const merged: Record<string, Scalar> = { ...file.defaults, ...overrides, ...values };
      const where = `runs[${i}]`;
      if (merged['target'] === undefined) throw new UsageError(`${where}: no target (set it in the row or in defaults)`);
      const target = targetByName(String(merged['target']));
      const expect = String(merged['expect'] ?? 'valid');
      if (expect !== 'valid' && expect !== 'invalid') throw new UsageError(`${where}: expect must be valid or invalid; found ${expect}`);
      const settings: Record<string, string> = {};
      let bugs: string[] = [];
      for (const [k, v] of Object.entries(merged)) {
        if (k === 'expect') continue;
        if (k === 'bug') {
          bugs = String(v).split(',').map((b) => b.trim()).filter(Boolean);
          continue;
        }
        if (!(RUN_KEYS as readonly string[]).includes(k) && !target.options.some((o) => o.name === k)) {
          throw new UsageError(`${where}: unknown setting '${k}' for target ${target.name} (expected one of ${[...RUN_KEYS, 'expect', ...target.options.map((o) => o.name)].join(', ')})`);
        }
        settings[k] = String(v);
      }
      return { settings, bugs, expect };
    }),
  );
}

/** A row's name: what differs between runs (target, workload, nemesis, bugs, target options, provisioner). */
export function rowName(row: SuiteRow): string {
  const s = row.settings;
  const parts = [s['target'] ?? '?', s['workload'] ?? 'default workload', `nemesis ${s['nemesis'] ?? 'none'}`];
  for (const b of row.bugs) parts.push(`bug ${b}`);
  for (const [k, v] of Object.entries(s)) if (!(RUN_KEYS as readonly string[]).includes(k)) parts.push(`${k}=${v}`);
  if (s['provisioner']) parts.push(`on ${s['provisioner']}`);
  return parts.join(' ');
}
