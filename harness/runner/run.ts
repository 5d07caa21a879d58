/**
 * One test run, start to end:
 *   set up the cluster -> start nodes -> wait until it serves ->
 *   clients and nemesis until the time limit (or Ctrl-C) ->
 *   heal every fault -> wait for recovery -> final operations ->
 *   tear everything down -> check -> results.json, report.html.
 * Teardown runs on every path; the history is on disk from the first op.
 */
import { setMaxListeners } from 'node:events';
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildNemesis, parseNemesisNames, unsupportedPacketKinds, type Nemesis } from '../../nemeses/index.js';
import { seededRng } from '../../nemeses/rng.js';
import { renderIndex } from '../../reports/index-page.js';
import { renderReport } from '../../reports/html.js';
import { Budget } from '../budget.js';
import { SetupError, UsageError } from '../errors.js';
import { LocalProvisioner } from '../provision/local.js';
import { requireRoot } from '../provision/clean.js';
import type { PacketFaultKind, Provisioner } from '../provision/types.js';
import { netemMissingMessage } from '../provision/packet.js';
import { combineVerdicts, type RunResults, type TestSpec } from '../run-record.js';
import { createRunDir, listRuns, pointLatest, writeAtomic } from '../store.js';
import type { ClusterLayout, NodeAddress, NodeLaunch, TargetDefinition } from '../target.js';
import { targetByName } from '../targets.js';
import { createWorkload } from '../workloads/index.js';
import type { Workload } from '../workloads/types.js';
import { performOp, runClients, sleep } from './clients.js';
import { runNemesis, type ActiveFaults } from './nemesis-worker.js';
import { startProgress } from './progress.js';
import { Recorder } from './recorder.js';

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
export function validateSpec(spec: TestSpec): TargetDefinition {
  const target = targetByName(spec.target);
  if (!target.workloads.includes(spec.workload)) {
    throw new UsageError(`target ${target.name} has no workload '${spec.workload}'; expected one of ${target.workloads.join(', ')}`);
  }
  for (const bug of spec.bugs) {
    if (!target.bugs.some((b) => b.name === bug)) {
      throw new UsageError(`target ${target.name} has no planted bug '${bug}'; expected one of ${target.bugs.map((b) => b.name).join(', ')}`);
    }
  }
  for (const [name, value] of Object.entries(spec.options)) {
    const o = target.options.find((x) => x.name === name);
    if (!o) throw new UsageError(`target ${target.name} has no option --${name}`);
    if (!o.choices.includes(value)) throw new UsageError(`--${name} must be one of ${o.choices.join(', ')}; found ${value}`);
  }
  if (spec.nodes < 1) throw new UsageError('--nodes must be at least 1');
  if (spec.concurrency < 1) throw new UsageError('--concurrency must be at least 1');
  if (!(spec.rate > 0)) throw new UsageError('--rate must be positive');
  if (!(spec.timeLimit > 0)) throw new UsageError('--time-limit must be positive');
  if (spec.provisioner === 'docker') {
    throw new UsageError('the docker provisioner is not available yet; use --provisioner local (the default)');
  }
  createWorkload(spec.workload, spec.concurrency); // rejects unknown workloads
  parseNemesisNames(spec.nemesis); // rejects unknown nemeses, before anything is set up
  return target;
}

/** Until a probe operation succeeds against some node (the cluster serves), or the deadline. */
async function waitUntilServing(target: TargetDefinition, cluster: ClusterLayout, deadlineMs: number, stop?: AbortSignal): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  let i = 0;
  while (Date.now() < end && !stop?.aborted) {
    const node = cluster.nodes[i++ % cluster.nodes.length]!;
    try {
      const client = await target.client(node, cluster, { timeoutMs: CLIENT_TIMEOUT_MS });
      try {
        const o = await client.invoke('read', ['harness-ready', null]);
        if (o.type === 'ok') return true;
      } finally {
        await client.close().catch(() => undefined);
      }
    } catch {
      // not up yet
    }
    await sleep(200, stop);
  }
  return false;
}

/** Final operations (final reads), each retried on the nodes in turn until it succeeds. */
async function runFinalOps(target: TargetDefinition, cluster: ClusterLayout, workload: Workload, recorder: Recorder): Promise<void> {
  // Fresh process ids, after every one the workers used.
  let proc = 1 + recorder.ops.reduce((max, o) => (typeof o.process === 'number' && o.process > max ? o.process : max), -1);
  for (const op of workload.finalOps()) {
    for (let attempt = 0; attempt < 3 * cluster.nodes.length; attempt++) {
      const node = cluster.nodes[attempt % cluster.nodes.length]!;
      const client = await target.client(node, cluster, { timeoutMs: 5 * CLIENT_TIMEOUT_MS });
      const outcome = await performOp({ workload, recorder }, client, proc, node, op);
      await client.close().catch(() => undefined);
      if (outcome.type === 'ok') break;
      if (outcome.type === 'info') proc++;
      await sleep(500);
    }
  }
}

/** Whether host:port accepts a TCP connection within 200 ms. */
function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 200);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Packet faults asked for that this machine cannot apply: none possible is a
 * setup error (the run would test nothing it was asked to); some missing is
 * said once, at the start and in the results' notes.
 */
function packetFaultsWarnings(names: readonly string[], supported: ReadonlySet<PacketFaultKind>, io: RunIo): string[] {
  const { asked, missing } = unsupportedPacketKinds(names, supported);
  if (missing.length === 0) return [];
  if (missing.length === asked.length) throw new SetupError(`the faults asked for need packet ${missing.join(', ')}, which is not possible here: ${netemMissingMessage(missing)}`);
  const note = `packet ${missing.join(', ')} left out, only ${asked.filter((k) => supported.has(k)).join(', ')} applied: ${netemMissingMessage(missing)}`;
  io.log(note);
  return [note];
}

export async function runTest(spec: TestSpec, io: RunIo): Promise<RunOutcome> {
  const target = validateSpec(spec);
  requireRoot();
  const workload = createWorkload(spec.workload, spec.concurrency);
  const { runId, path: runDir } = createRunDir(spec);
  const startedAt = new Date().toISOString();
  writeFileSync(join(runDir, 'test.json'), JSON.stringify({ spec, runId, startedAt, node: process.version }, null, 2) + '\n');
  pointLatest(spec.store, runDir);
  io.log(`run ${runId}: ${runDir}`);

  const recorder = new Recorder(join(runDir, 'history.jsonl'));
  const notes: string[] = [];
  const provisioner: Provisioner = new LocalProvisioner();
  const names = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
  const usesClock = spec.nemesis.some((n) => n.split(',').some((x) => x.trim().startsWith('clock')));
  let nemesis: Nemesis | undefined;
  try {
    const addresses: NodeAddress[] = await provisioner.setup({ runId, nodes: names, runDir, fakeTime: usesClock });
    const cluster: ClusterLayout = { nodes: addresses };
    const packetKinds = provisioner.packetSupport ? await provisioner.packetSupport() : undefined;
    if (packetKinds) notes.push(...packetFaultsWarnings(spec.nemesis, packetKinds, io));
    const runOptions = { bugs: spec.bugs, options: spec.options };
    const clockFaults = usesClock ? target.clockFaults?.(runOptions) : undefined;
    if (clockFaults) {
      const note = `plain clock faults are ${clockFaults.join(', ')}: what ${target.name} chose for these options (name others as clock:KIND)`;
      io.log(note);
      notes.push(note);
    }
    const launches = new Map<string, NodeLaunch>();
    for (const node of addresses) {
      const launch = target.launch(node, cluster, runOptions, join(runDir, 'nodes', node.name, 'data'));
      launches.set(node.name, launch);
      await provisioner.start(node.name, launch);
    }
    io.log(`${addresses.length} nodes started: ${addresses.map((a) => `${a.name}=${a.host}`).join(' ')}`);
    if (!(await waitUntilServing(target, cluster, READY_TIMEOUT_MS, io.interrupt))) {
      throw new SetupError(`the ${target.name} cluster did not start serving within ${READY_TIMEOUT_MS / 1000} s; see the node logs under ${join(runDir, 'nodes')}`);
    }

    const rng = seededRng(spec.seed);
    nemesis = buildNemesis(spec.nemesis.length ? spec.nemesis : ['none'], {
      provisioner,
      nodes: names,
      rng: seededRng(spec.seed ^ 0x5eed),
      leader: async () => (target.leader ? target.leader(cluster, { timeoutMs: CLIENT_TIMEOUT_MS }) : undefined),
      restart: async (node) => provisioner.start(node, launches.get(node)!),
      listening: (node) => acceptsConnections(cluster.nodes.find((n) => n.name === node)!.host, target.clientPort),
      ...(packetKinds ? { packetKinds } : {}),
      ...(clockFaults ? { clockFaults } : {}),
    });

    // The test proper: clients and nemesis until the time limit, or Ctrl-C.
    const stop = new AbortController();
    setMaxListeners(0, stop.signal); // every worker's sleep listens to it
    const onInterrupt = () => stop.abort();
    io.interrupt.addEventListener('abort', onInterrupt, { once: true });
    const timer = setTimeout(() => stop.abort(), spec.timeLimit * 1000);
    const faults: ActiveFaults = { active: new Set() };
    const stopProgress = startProgress(recorder, spec.timeLimit, faults);
    try {
      await Promise.all([
        runClients({ target, cluster, workload, recorder, concurrency: spec.concurrency, rate: spec.rate, timeoutMs: CLIENT_TIMEOUT_MS, rng }, stop.signal),
        runNemesis(nemesis, recorder, spec.nemesisInterval, rng, stop.signal, faults),
      ]);
    } finally {
      clearTimeout(timer);
      stopProgress();
      io.interrupt.removeEventListener('abort', onInterrupt);
    }
    if (io.interrupt.aborted) notes.push('interrupted (Ctrl-C) before the time limit');

    // Final phase: remove every fault, let the cluster recover, run final operations.
    io.log('healing every fault');
    recorder.record('info', 'nemesis', 'heal-all', null);
    await nemesis.healAll().catch((e: Error) => notes.push(e.message));
    recorder.record('info', 'nemesis', 'heal-all', null);
    nemesis = undefined;
    if (workload.finalOps().length > 0) {
      if (!(await waitUntilServing(target, cluster, READY_TIMEOUT_MS))) notes.push(`the cluster did not recover within ${READY_TIMEOUT_MS / 1000} s of the heal`);
      await runFinalOps(target, cluster, workload, recorder);
    }
  } finally {
    if (nemesis) await nemesis.healAll().catch((e: Error) => notes.push(e.message));
    await provisioner.teardown().catch((e: Error) => notes.push(e.message));
    recorder.close();
  }

  io.log(`checking ${recorder.ops.length} ops`);
  const budget = new Budget(CHECK_TIMEOUT_MS, CHECK_MEMORY_BYTES);
  const checkers = workload.check(recorder.ops, { shouldStop: (p) => budget.exceeded(p.bytes) });
  const results: RunResults = {
    valid: combineVerdicts(Object.values(checkers).map((c) => c.valid)),
    checkers,
    startedAt,
    endedAt: new Date().toISOString(),
    runId,
    notes,
  };
  writeAtomic(join(runDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeAtomic(join(runDir, 'report.html'), renderReport({ spec, results, history: recorder.ops, runDir }));
  writeAtomic(
    join(spec.store, 'index.html'),
    renderIndex(listRuns(spec.store).map((r) => ({ path: r.path, spec: r.spec, valid: r.results?.valid, startedAt: r.results?.startedAt }))),
  );
  return { runDir, results };
}
