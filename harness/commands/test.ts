/**
 * `harness test`: options -> TestSpec -> run -> exit status
 * (0 valid, 1 anomaly, 2 usage or setup error, 3 unknown).
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { isProvisionerKind, PROVISIONER_KINDS } from '../provision/index.js';
import { exitCodeFor, type RunResults, type TestSpec } from '../run-record.js';
import { runTest } from '../runner/run.js';
import { targetByName } from '../targets.js';

export interface TestCommandOptions {
  target: string;
  workload?: string;
  nemesis: string[];
  nemesisInterval: string;
  nodes?: string;
  concurrency: string;
  rate: string;
  timeLimit: string;
  recoveryTimeout: string;
  seed?: string;
  provisioner: string;
  bug: string[];
  store: string;
  /** Target options given as --name value (e.g. --read-mode lease), collected by the CLI. */
  targetOptions: Record<string, string>;
}

function num(s: string, flag: string, integer = false): number {
  const n = Number(s);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'}; found ${s}`);
  return n;
}

export function specFromOptions(o: TestCommandOptions): TestSpec {
  const target = targetByName(o.target);
  if (!isProvisionerKind(o.provisioner)) throw new UsageError(`--provisioner must be one of ${PROVISIONER_KINDS.join(', ')}; found ${o.provisioner}`);
  const options: Record<string, string> = {};
  for (const opt of target.options) options[opt.name] = o.targetOptions[opt.name] ?? opt.default;
  return {
    target: target.name,
    workload: o.workload ?? target.defaultWorkload,
    nemesis: o.nemesis.flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n && n !== 'none'),
    nemesisInterval: num(o.nemesisInterval, '--nemesis-interval'),
    nodes: o.nodes === undefined ? target.defaultNodes : num(o.nodes, '--nodes', true),
    concurrency: num(o.concurrency, '--concurrency', true),
    rate: num(o.rate, '--rate'),
    timeLimit: num(o.timeLimit, '--time-limit'),
    recoveryTimeout: num(o.recoveryTimeout, '--recovery-timeout'),
    seed: o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : num(o.seed, '--seed', true),
    provisioner: o.provisioner,
    bugs: o.bug,
    options,
    store: resolve(o.store),
  };
}

export async function testCommand(o: TestCommandOptions): Promise<number> {
  const spec = specFromOptions(o);
  return withInterrupt('stopping the test', async (interrupt) => {
    const { runDir, results } = await runTest(spec, { log: (l) => process.stderr.write(`${l}\n`), interrupt });
    process.stdout.write(describeResults(results, runDir));
    return exitCodeFor(results.valid);
  });
}

/**
 * Run `f` with an AbortSignal that the first Ctrl-C (or SIGTERM) aborts, so
 * the run heals and tears down; a second one exits at once.
 */
export async function withInterrupt<T>(what: string, f: (interrupt: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${signal}: ${what}, healing faults and tearing the cluster down (again to force)\n`);
      interrupt.abort();
    } else {
      process.stderr.write('forced: run `harness clean` to remove what is left\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await f(interrupt.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * What the console says at the end: the verdict and why first, a failed
 * heal next (the cluster may still be faulty), then each checker, the
 * recovery, the operations, the faults and the notes.
 */
export function describeResults(r: RunResults, runDir: string): string {
  const verdict = r.valid === true ? 'valid' : r.valid === false ? 'INVALID' : 'unknown';
  const lines = [`${verdict}${r.reason ? `: ${r.reason}` : ''}`, `  report: ${runDir}/report.html`];
  for (const h of r.healFailures) lines.push(`  HEAL FAILED: ${h}`);
  for (const more of r.reasons.slice(1)) lines.push(`  also: ${more}`);
  for (const [name, c] of Object.entries(r.checkers)) lines.push(`  ${name}: ${c.summary}`);
  if (r.recovery.served === true) lines.push(`  recovery: served again ${(r.recovery.afterMs / 1000).toFixed(1)} s after the heal`);
  const ops = Object.entries(r.stats.ops).map(([k, s]) => `${k} ${s.ok}/${s.fail}/${s.info}`);
  if (ops.length) lines.push(`  ops (ok/fail/info): ${ops.join(', ')}${r.stats.finals.asked ? `; final ${r.stats.finals.ok}/${r.stats.finals.asked} ok` : ''}`);
  const faults = Object.entries(r.stats.faults).map(([k, f]) => `${k} ${f.applied}/${f.started}${f.failed ? ` (${f.failed} failed)` : ''}`);
  if (faults.length) lines.push(`  faults applied/started: ${faults.join(', ')}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n') + '\n';
}
