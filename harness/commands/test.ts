/**
 * `harness test`: options -> TestSpec -> run -> exit status
 * (0 valid, 1 anomaly, 2 usage or setup error, 3 unknown).
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { exitCodeFor, type TestSpec } from '../run-record.js';
import { runTest } from '../runner/run.js';
import { targetByName } from '../targets.js';

export interface TestCommandOptions {
  target: string;
  workload: string;
  nemesis: string[];
  nemesisInterval: string;
  nodes?: string;
  concurrency: string;
  rate: string;
  timeLimit: string;
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
  if (o.provisioner !== 'local' && o.provisioner !== 'docker') throw new UsageError(`--provisioner must be local or docker; found ${o.provisioner}`);
  const options: Record<string, string> = {};
  for (const opt of target.options) options[opt.name] = o.targetOptions[opt.name] ?? opt.default;
  return {
    target: target.name,
    workload: o.workload,
    nemesis: o.nemesis.flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n && n !== 'none'),
    nemesisInterval: num(o.nemesisInterval, '--nemesis-interval'),
    nodes: o.nodes === undefined ? target.defaultNodes : num(o.nodes, '--nodes', true),
    concurrency: num(o.concurrency, '--concurrency', true),
    rate: num(o.rate, '--rate'),
    timeLimit: num(o.timeLimit, '--time-limit'),
    seed: o.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : num(o.seed, '--seed', true),
    provisioner: o.provisioner,
    bugs: o.bug,
    options,
    store: resolve(o.store),
  };
}

export async function testCommand(o: TestCommandOptions): Promise<number> {
  const spec = specFromOptions(o);
  const interrupt = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${signal}: stopping the test, healing faults and tearing the cluster down (again to force)\n`);
      interrupt.abort();
    } else {
      process.stderr.write('forced: run `harness clean` to remove what is left\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { runDir, results } = await runTest(spec, { log: (l) => process.stderr.write(`${l}\n`), interrupt: interrupt.signal });
    const verdict = results.valid === true ? 'valid' : results.valid === false ? 'INVALID' : 'unknown';
    process.stdout.write(`${verdict}: ${runDir}/report.html\n`);
    for (const [name, c] of Object.entries(results.checkers)) process.stdout.write(`  ${name}: ${c.summary}\n`);
    for (const n of results.notes) process.stdout.write(`  note: ${n}\n`);
    return exitCodeFor(results.valid);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
