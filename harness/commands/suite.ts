/**
 * `harness suite`: run a matrix of `harness test` runs one after another
 * (each stored as usual), then a console table, JUnit XML (one test case
 * per run) and an index page linking every run's report, in
 * `<store>/suites/<timestamp>-<name>/`. Exit status: see suiteExitCode.
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { renderIndex } from '../../reports/index-page.js';
import { isUserError, UsageError } from '../errors.js';
import type { RunResults, TestSpec } from '../run-record.js';
import { runTest, type RunIo, type RunOutcome } from '../runner/run.js';
import { writeAtomic } from '../store.js';
import { parseSuiteFile, rowName, suiteRows, type Scalar, type SuiteFile, type SuiteRow } from '../suite/matrix.js';
import { consoleTable, judge, junitXml, suiteExitCode, type RowOutcome } from '../suite/outcome.js';
import { targetByName } from '../targets.js';
import { specFromOptions, withInterrupt } from './test.js';
import { TEST_DEFAULTS } from './test-defaults.js';

export interface SuiteCommandOptions {
  file?: string;
  /** Matrix flags (without --file): each occurrence one value. */
  target: string[];
  workload: string[];
  nemesis: string[];
  /** NAME=V1,V2: a target option and its values. */
  option: string[];
  bug: string[];
  expect?: string;
  /** Settings for every row (a row's own value wins over them; they win over the file's defaults). */
  provisioner?: string;
  timeLimit?: string;
  nodes?: string;
  concurrency?: string;
  rate?: string;
  nemesisInterval?: string;
  recoveryTimeout?: string;
  seed?: string;
  store: string;
  junit?: string;
  name?: string;
}

type RunOne = (spec: TestSpec, io: RunIo) => Promise<RunOutcome>;

/** The matrix the flags describe (when no file is given). */
export function matrixFromFlags(o: SuiteCommandOptions): SuiteFile {
  if (o.target.length === 0) throw new UsageError('harness suite needs --file FILE or at least one --target');
  const m: Record<string, Scalar | Scalar[]> = { target: o.target };
  if (o.workload.length) m['workload'] = o.workload;
  if (o.nemesis.length) m['nemesis'] = o.nemesis;
  for (const opt of o.option) {
    const eq = opt.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option must be NAME=VALUE[,VALUE...]; found ${opt}`);
    m[opt.slice(0, eq)] = opt.slice(eq + 1).split(',');
  }
  if (o.bug.length) m['bug'] = o.bug.join(',');
  if (o.expect) m['expect'] = o.expect;
  return { defaults: {}, runs: [m] };
}

/** The command line's settings that apply to every row. */
function overridesOf(o: SuiteCommandOptions): Record<string, Scalar> {
  const pairs: [string, string | undefined][] = [
    ['provisioner', o.provisioner],
    ['time-limit', o.timeLimit],
    ['nodes', o.nodes],
    ['concurrency', o.concurrency],
    ['rate', o.rate],
    ['nemesis-interval', o.nemesisInterval],
    ['recovery-timeout', o.recoveryTimeout],
    ['seed', o.seed],
  ];
  return Object.fromEntries(pairs.filter((p): p is [string, string] => p[1] !== undefined));
}

/** A row as `harness test` would take it. */
export function rowSpec(row: SuiteRow, store: string): TestSpec {
  const s = row.settings;
  const target = targetByName(s['target']!);
  const targetOptions = Object.fromEntries(target.options.filter((opt) => s[opt.name] !== undefined).map((opt) => [opt.name, s[opt.name]!]));
  return specFromOptions({
    target: target.name,
    ...(s['workload'] ? { workload: s['workload'] } : {}),
    nemesis: s['nemesis'] ? [s['nemesis']] : [],
    nemesisInterval: s['nemesis-interval'] ?? TEST_DEFAULTS.nemesisInterval,
    ...(s['nodes'] ? { nodes: s['nodes'] } : {}),
    concurrency: s['concurrency'] ?? TEST_DEFAULTS.concurrency,
    rate: s['rate'] ?? TEST_DEFAULTS.rate,
    timeLimit: s['time-limit'] ?? TEST_DEFAULTS.timeLimit,
    recoveryTimeout: s['recovery-timeout'] ?? TEST_DEFAULTS.recoveryTimeout,
    ...(s['seed'] ? { seed: s['seed'] } : {}),
    provisioner: s['provisioner'] ?? TEST_DEFAULTS.provisioner,
    bug: [...row.bugs],
    store,
    targetOptions,
  });
}

/** Why a run that was not valid came out so: its first reason and the summaries of the checkers that found something. */
/** The checkers that find the row's planted bugs (none: the row names no bug). */
function findersOf(row: SuiteRow): string[] {
  const target = targetByName(row.settings['target']!);
  return [...new Set(row.bugs.map((b) => target.bugs.find((spec) => spec.name === b)!.finds.checker))];
}

function whyOf(r: RunResults): string {
  const found = Object.entries(r.checkers)
    .filter(([, c]) => c.valid === false)
    .map(([name, c]) => `${name}: ${c.summary}`);
  return [...new Set([...(r.reason ? [r.reason] : []), ...found])].join('; ');
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

export async function suiteCommand(o: SuiteCommandOptions, runOne: RunOne = runTest): Promise<number> {
  const store = resolve(o.store);
  if (o.file && (o.target.length || o.workload.length || o.nemesis.length || o.option.length || o.bug.length || o.expect)) {
    throw new UsageError('give the matrix either in --file or with --target/--workload/--nemesis/--option/--bug/--expect, not both');
  }
  const file = o.file ? parseSuiteFile(readFileSync(o.file, 'utf8'), o.file) : matrixFromFlags(o);
  const rows = suiteRows(file, overridesOf(o), targetByName);
  const specs = rows.map((r) => rowSpec(r, store)); // every row checked before the first run
  const name = o.name ?? file.name ?? 'suite';
  const started = new Date();
  const dir = join(store, 'suites', `${stamp(started)}-${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`suite ${name}: ${rows.length} runs; results in ${dir}\n`);

  const outcomes: RowOutcome[] = [];
  await withInterrupt('stopping the suite after this run', async (interrupt) => {
    for (const [i, row] of rows.entries()) {
      const base = { name: rowName(row), target: row.settings['target']!, expect: row.expect };
      if (interrupt.aborted) {
        outcomes.push({ ...base, status: 'skipped', seconds: 0 });
        continue;
      }
      process.stderr.write(`\n[${i + 1}/${rows.length}] ${base.name}\n`);
      const t0 = Date.now();
      try {
        const { runDir, results } = await runOne(specs[i]!, { log: (l) => process.stderr.write(`  ${l}\n`), interrupt });
        const showed = { verdict: results.valid, invalidCheckers: Object.keys(results.checkers).filter((c) => results.checkers[c]!.valid === false) };
        outcomes.push({ ...base, ...judge(row.expect, showed, whyOf(results), findersOf(row)), verdict: results.valid, seconds: (Date.now() - t0) / 1000, runPath: relative(store, runDir) });
      } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
        if (!isUserError(e)) process.stderr.write(`  harness error: ${message}\n`);
        outcomes.push({ ...base, status: 'error', message, seconds: (Date.now() - t0) / 1000 });
      }
    }
  });

  const junit = junitXml(name, outcomes, started.toISOString());
  writeAtomic(join(dir, 'junit.xml'), junit);
  if (o.junit) writeFileSync(o.junit, junit);
  writeAtomic(join(dir, 'suite.json'), JSON.stringify({ name, startedAt: started.toISOString(), rows: rows.map((r, i) => ({ ...r, ...outcomes[i] })) }, null, 2) + '\n');
  const ran = outcomes.flatMap((out, i) => (out.runPath ? [{ path: relative(dir, join(store, out.runPath)), spec: specs[i]!, ...(out.verdict !== undefined ? { valid: out.verdict } : {}) }] : []));
  writeAtomic(join(dir, 'index.html'), renderIndex(ran));
  process.stdout.write(`\n${consoleTable(outcomes)}junit: ${o.junit ?? join(dir, 'junit.xml')}\nindex: ${join(dir, 'index.html')}\n`);
  return suiteExitCode(outcomes);
}
