/**
 * One test run, start to end:
 *   check the spec and the machine -> set up the cluster -> start nodes ->
 *   wait until it serves -> clients and nemesis until the time limit (or
 *   Ctrl-C) -> heal every fault -> wait until it serves again -> final
 *   operations -> tear everything down -> check -> results.json, report.html.
 * Teardown runs on every path; the history is on disk from the first op. A
 * run that stops at setup, before any node started, leaves no folder behind.
 */
import { setMaxListeners } from 'node:events';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildNemesis, parseNemesisNames, unsupportedPacketKinds, type Nemesis } from '../../nemeses/index.js';
import { seededRng } from '../../nemeses/rng.js';
import { renderIndex } from '../../reports/index-page.js';
import { renderReport } from '../../reports/html.js';
import { Budget } from '../budget.js';
import { InternalError, isUserError, SetupError, UsageError } from '../errors.js';
import { createProvisioner } from '../provision/index.js';
import type { PacketFaultKind, Provisioner } from '../provision/types.js';
import { netemMissingMessage } from '../provision/packet.js';
import { acceptsConnections } from '../tcp.js';
import type { CheckerOutcome, RunResults, TestSpec } from '../run-record.js';
import { createRunDir, listRuns, pointLatest, writeAtomic } from '../store.js';
import type { TargetDefinition, TargetRunOptions } from '../target.js';
import { targetByName } from '../targets.js';
import type { Workload } from '../workloads/types.js';
import { runClients } from './clients.js';
import { PROBE_TIMEOUT_MS, startCluster, waitUntilServing, type Cluster } from './cluster.js';
import { finalPhase, type FinalPhaseResult } from './final-phase.js';
import { HarnessErrors } from './harness-errors.js';
import { runNemesis, type ActiveFaults } from './nemesis-worker.js';
import { startProgress } from './progress.js';
import { Recorder } from './recorder.js';
import { RunLog } from './run-log.js';
import { runStats } from './stats.js';
import { runVerdict } from './verdict.js';

export interface RunOutcome {
  runDir: string;
  results: RunResults;
}

export interface RunIo {
  log(line: string): void;
  /** Aborted by the CLI on Ctrl-C: the run skips to its final phase. */
  interrupt: AbortSignal;
}

const CLIENT_TIMEOUT_MS = 1000;
const READY_TIMEOUT_MS = 30_000;
const CHECK_TIMEOUT_MS = 120_000;
const CHECK_MEMORY_BYTES = 8 * 2 ** 30;

/** Validate the spec against the target before touching the machine. */
export function validateSpec(spec: TestSpec, target: TargetDefinition = targetByName(spec.target)): TargetDefinition {
  if (!(spec.workload in target.workloads)) {
    throw new UsageError(`target ${target.name} has no workload '${spec.workload}'; expected one of ${Object.keys(target.workloads).join(', ')}`);
  }
  for (const bug of spec.bugs) {
    if (!target.bugs.some((b) => b.name === bug)) {
      throw new UsageError(`target ${target.name} has no planted bug '${bug}'; expected one of ${target.bugs.map((b) => b.name).join(', ')}`);
    }
  }
  for (const [name, value] of Object.entries(spec.options)) {
    const o = target.options.find((x) => x.name === name);
    if (!o) throw new UsageError(`target ${target.name} has no option --${name}`);
    if (o.choices && !o.choices.includes(value)) throw new UsageError(`--${name} must be one of ${o.choices.join(', ')}; found ${value}`);
    if (!o.choices && !(Number.isFinite(Number(value)) && Number(value) >= (o.min ?? -Infinity))) {
      throw new UsageError(`--${name} must be a number${o.min === undefined ? '' : ` of at least ${o.min}`}; found ${value}`);
    }
  }
  if (spec.nodes < 1) throw new UsageError('--nodes must be at least 1');
  if (spec.concurrency < 1) throw new UsageError('--concurrency must be at least 1');
  if (!(spec.rate > 0)) throw new UsageError('--rate must be positive');
  if (!(spec.timeLimit > 0)) throw new UsageError('--time-limit must be positive');
  if (!(spec.nemesisInterval > 0)) throw new UsageError('--nemesis-interval must be positive');
  if (!(spec.recoveryTimeout > 0)) throw new UsageError('--recovery-timeout must be positive');
  parseNemesisNames(spec.nemesis); // rejects unknown nemeses, before anything is set up
  return target;
}

/**
 * Packet faults asked for that this machine cannot apply: none possible is a
 * setup error (the run would test nothing it was asked to); some missing is
 * said once, at the start and in the results' notes.
 */
function packetFaultsWarnings(names: readonly string[], supported: ReadonlySet<PacketFaultKind>, log: (l: string) => void): string[] {
  const { asked, missing } = unsupportedPacketKinds(names, supported);
  if (missing.length === 0) return [];
  if (missing.length === asked.length) throw new SetupError(`the faults asked for need packet ${missing.join(', ')}, which is not possible here: ${netemMissingMessage(missing)}`);
  const note = `packet ${missing.join(', ')} left out, only ${asked.filter((k) => supported.has(k)).join(', ')} applied: ${netemMissingMessage(missing)}`;
  log(note);
  return [note];
}

/** Whether the run asks for clock faults (its nodes then run under the clock shim). */
function usesClock(spec: TestSpec): boolean {
  return parseNemesisNames(spec.nemesis).has('clock');
}

/** Whether any node process was ever started in the run's folder (its logs are worth keeping). */
function nodesLeftLogs(runDir: string): boolean {
  const nodes = join(runDir, 'nodes');
  return existsSync(nodes) && readdirSync(nodes).some((n) => readdirSync(join(nodes, n)).some((f) => f.endsWith('.log')));
}

/** Everything a run holds while it goes, for its phases and its end. */
interface Run {
  spec: TestSpec;
  target: TargetDefinition;
  targetRun: TargetRunOptions;
  workload: Workload;
  provisioner: Provisioner;
  runId: string;
  runDir: string;
  startedAt: string;
  recorder: Recorder;
  log: RunLog;
  errors: HarnessErrors;
  notes: string[];
  /** Packet faults this machine can apply (known after setup). */
  packetKinds?: ReadonlySet<PacketFaultKind>;
  say(line: string): void;
}

/** What a run is made of, when not the ones the spec names (tests run the runner on fakes). */
export interface RunDeps {
  target?: TargetDefinition;
  provisioner?: Provisioner;
  /** How long the cluster has to serve at start-up. */
  readyTimeoutMs?: number;
}

export async function runTest(spec: TestSpec, io: RunIo, deps: RunDeps = {}): Promise<RunOutcome> {
  const target = validateSpec(spec, deps.target);
  const provisioner = deps.provisioner ?? createProvisioner(spec.provisioner);
  await provisioner.preflight?.({ what: `the ${target.name} target`, programs: target.requires ?? [] });
  const targetRun: TargetRunOptions = { bugs: spec.bugs, options: spec.options };
  const workload = target.workloads[spec.workload]!({ concurrency: spec.concurrency, run: targetRun });
  const { runId, path: runDir } = createRunDir(spec);
  const startedAt = new Date().toISOString();
  writeFileSync(join(runDir, 'test.json'), JSON.stringify({ spec, runId, startedAt, node: process.version }, null, 2) + '\n');
  const log = new RunLog(join(runDir, 'harness.log'));
  const recorder = new Recorder(join(runDir, 'history.jsonl'));
  const run: Run = {
    spec,
    target,
    targetRun,
    workload,
    provisioner,
    runId,
    runDir,
    startedAt,
    recorder,
    log,
    errors: new HarnessErrors(log, () => recorder.now()),
    notes: [],
    say: (line) => {
      log.write(line);
      io.log(line);
    },
  };
  run.say(`run ${runId}: ${runDir}`);

  let cluster: Cluster;
  try {
    cluster = await setUp(run, io, deps.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (e) {
    await provisioner.teardown().catch((t: Error) => log.error('teardown after a failed setup', t));
    recorder.close();
    if (!nodesLeftLogs(runDir)) rmSync(runDir, { recursive: true, force: true });
    else log.error('setup failed', e);
    throw e;
  }
  pointLatest(spec.store, runDir);

  let nemesis: Nemesis | undefined;
  let final: FinalPhaseResult | undefined;
  let crash: unknown;
  try {
    nemesis = buildRunNemesis(run, cluster);
    await testProper(run, cluster, nemesis, io);
    final = await finalPhase({
      target,
      run: targetRun,
      cluster: cluster.layout,
      workload,
      nemesis,
      recorder,
      errors: run.errors,
      recoveryTimeoutMs: spec.recoveryTimeout * 1000,
      opTimeoutMs: 5 * CLIENT_TIMEOUT_MS,
      log: run.say,
    });
  } catch (e) {
    crash = e;
    log.error('the run stopped on an error', e);
  } finally {
    if (nemesis && !final) await nemesis.healAll().catch((e: Error) => log.error('heal after an error', e));
    await provisioner.teardown().catch((e: Error) => {
      run.notes.push(e.message);
      log.error('teardown', e);
    });
    recorder.close();
  }
  if (crash !== undefined) {
    const message = crash instanceof Error ? crash.message : String(crash);
    writeResults(run, harnessCrashResults(run, message));
    if (isUserError(crash)) throw crash;
    throw new InternalError(`the run stopped on an error: ${message}`, join(runDir, 'harness.log'));
  }
  return { runDir, results: writeResults(run, checkRun(run, final!, io.interrupt.aborted)) };
}

/** Hosts, nodes, and a cluster that serves; notes about faults this machine or target narrows. */
async function setUp(run: Run, io: RunIo, readyTimeoutMs: number): Promise<Cluster> {
  const { spec, target, provisioner } = run;
  const provisioningStarted = Date.now();
  const cluster = await startCluster(provisioner, target, run.targetRun, { runId: run.runId, runDir: run.runDir, nodes: spec.nodes, fakeTime: usesClock(spec), log: run.say });
  run.say(`${cluster.layout.nodes.length} nodes started: ${cluster.layout.nodes.map((a) => `${a.name}=${a.host}`).join(' ')}`);
  if (provisioner.packetSupport) {
    run.packetKinds = await provisioner.packetSupport();
    run.notes.push(...packetFaultsWarnings(spec.nemesis, run.packetKinds, run.say));
  }
  const servedAfter = await waitUntilServing(target, cluster.layout, run.targetRun, readyTimeoutMs, io.interrupt);
  if (servedAfter === undefined) {
    if (io.interrupt.aborted) throw new SetupError('interrupted (Ctrl-C) before the cluster served');
    throw new SetupError(`the ${target.name} cluster did not start serving within ${readyTimeoutMs / 1000} s; see the node logs under ${join(run.runDir, 'nodes')}`);
  }
  const upMs = Date.now() - provisioningStarted;
  run.say(`the cluster serves (${(servedAfter / 1000).toFixed(1)} s after the start; up and serving ${(upMs / 1000).toFixed(1)} s after provisioning began)`);
  return cluster;
}

function buildRunNemesis(run: Run, cluster: Cluster): Nemesis {
  const { spec, target, provisioner } = run;
  const clockFaults = usesClock(spec) ? target.clockFaults?.(run.targetRun) : undefined;
  if (clockFaults) {
    const note = `plain clock faults are ${clockFaults.join(', ')}: what ${target.name} chose for these options (name others as clock:KIND)`;
    run.say(note);
    run.notes.push(note);
  }
  const hostOf = (node: string) => cluster.layout.nodes.find((n) => n.name === node)!.host;
  return buildNemesis(spec.nemesis.length ? spec.nemesis : ['none'], {
    provisioner,
    nodes: cluster.names,
    rng: seededRng(spec.seed ^ 0x5eed),
    leader: async () => (await target.primaries?.(cluster.layout, run.targetRun, { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => []))?.[0],
    restart: async (node) => provisioner.start(node, cluster.launches.get(node)!),
    listening: (node) => acceptsConnections(hostOf(node), target.clientPort),
    ...(run.packetKinds ? { packetKinds: run.packetKinds } : {}),
    ...(clockFaults ? { clockFaults } : {}),
  });
}

/** Clients and nemesis until the time limit, or Ctrl-C. */
async function testProper(run: Run, cluster: Cluster, nemesis: Nemesis, io: RunIo): Promise<void> {
  const { spec } = run;
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every worker's sleep listens to it
  const onInterrupt = () => stop.abort();
  io.interrupt.addEventListener('abort', onInterrupt, { once: true });
  const timer = setTimeout(() => stop.abort(), spec.timeLimit * 1000);
  const faults: ActiveFaults = { active: new Set() };
  const stopProgress = startProgress(run.recorder, spec.timeLimit, faults);
  const rng = seededRng(spec.seed);
  try {
    await Promise.all([
      runClients(
        { target: run.target, run: run.targetRun, cluster: cluster.layout, workload: run.workload, recorder: run.recorder, errors: run.errors, concurrency: spec.concurrency, rate: spec.rate, timeoutMs: CLIENT_TIMEOUT_MS, rng },
        stop.signal,
      ),
      runNemesis(nemesis, run.recorder, spec.nemesisInterval, rng, stop.signal, faults),
    ]);
  } finally {
    clearTimeout(timer);
    stopProgress();
    io.interrupt.removeEventListener('abort', onInterrupt);
  }
  if (io.interrupt.aborted) run.say('interrupted (Ctrl-C): healing, then checking what was recorded');
}

/** The checkers over the history, the run's stats, and the verdict from both. */
function checkRun(run: Run, final: FinalPhaseResult, interrupted: boolean): RunResults {
  run.say(`checking ${run.recorder.ops.length} ops`);
  const budget = new Budget(CHECK_TIMEOUT_MS, CHECK_MEMORY_BYTES);
  let checkers: Record<string, CheckerOutcome>;
  try {
    checkers = run.workload.check(run.recorder.ops, { shouldStop: (p) => budget.exceeded(p.bytes) });
  } catch (e) {
    run.errors.record(`the ${run.workload.name} checkers`, e);
    checkers = { [run.workload.name]: { valid: 'unknown', summary: `the checker failed: ${e instanceof Error ? e.message : String(e)}`, details: null } };
  }
  const stats = runStats(run.recorder.ops, {
    kindsOf: run.workload.kinds.of,
    askedFaults: [...parseNemesisNames(run.spec.nemesis).keys()],
    finalFrom: final.finalFrom,
    finals: final.finals,
  });
  const harnessErrors = { count: run.errors.count, first: run.errors.first };
  const verdict = runVerdict({ checkers, stats, requiredKinds: run.workload.kinds.required, recovery: final.recovery, harnessErrors, interrupted });
  return results(run, { valid: verdict.valid, reasons: verdict.reasons, checkers, stats, recovery: final.recovery, healFailures: final.healFailures });
}

/** Results of a run the harness could not finish: unknown, with the error as the reason. */
function harnessCrashResults(run: Run, message: string): RunResults {
  const stats = runStats(run.recorder.ops, { kindsOf: () => [], askedFaults: [], finalFrom: Infinity, finals: { asked: 0, ok: 0 } });
  return results(run, {
    valid: 'unknown',
    reasons: [`harness error: ${message} (stack in harness.log)`],
    checkers: {},
    stats,
    recovery: { served: 'not-checked', why: 'the run stopped on an error' },
    healFailures: [],
  });
}

function results(
  run: Run,
  r: Pick<RunResults, 'valid' | 'reasons' | 'checkers' | 'stats' | 'recovery' | 'healFailures'>,
): RunResults {
  return {
    ...r,
    ...(r.reasons.length ? { reason: r.reasons[0] } : {}),
    harnessErrors: { count: run.errors.count, first: run.errors.first },
    startedAt: run.startedAt,
    endedAt: new Date().toISOString(),
    runId: run.runId,
    notes: run.notes,
  };
}

function writeResults(run: Run, results: RunResults): RunResults {
  writeAtomic(join(run.runDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeAtomic(join(run.runDir, 'report.html'), renderReport({ spec: run.spec, results, history: run.recorder.ops, runDir: run.runDir }));
  writeAtomic(
    join(run.spec.store, 'index.html'),
    renderIndex(listRuns(run.spec.store).map((r) => ({ path: r.path, spec: r.spec, valid: r.results?.valid, startedAt: r.results?.startedAt }))),
  );
  run.log.write(`verdict: ${results.valid}${results.reason ? ` (${results.reason})` : ''}`);
  return results;
}
