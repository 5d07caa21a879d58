/**
 * Client workers: each runs one operation at a time against the node it is
 * bound to (round-robin), at a share of the target rate. After an `info`
 * (unknown outcome) its process retires and it goes on as a fresh process,
 * as in Jepsen, with a fresh connection. An exception from the client or
 * the workload is a harness error: counted, never recorded as an outcome;
 * the operation stays open in the history and the process retires.
 */
import type { ClusterLayout, NodeAddress, Outcome, TargetClient, TargetDefinition, TargetRunOptions } from '../target.js';
import type { Rng, Workload, WorkloadOp } from '../workloads/types.js';
import type { HarnessErrors } from './harness-errors.js';
import type { Recorder } from './recorder.js';

export interface ClientSettings {
  target: TargetDefinition;
  run: TargetRunOptions;
  cluster: ClusterLayout;
  workload: Workload;
  recorder: Recorder;
  errors: HarnessErrors;
  concurrency: number;
  /** Operations per second over all workers. */
  rate: number;
  timeoutMs: number;
  rng: Rng;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** An outcome, or a harness error (nothing recorded as the op's completion). */
export type Performed = Outcome | { type: 'harness-error' };

/** Invoke one op, recording its invocation and completion. Never throws. */
export async function performOp(
  s: Pick<ClientSettings, 'workload' | 'recorder' | 'errors'>,
  client: TargetClient,
  process: number,
  node: NodeAddress,
  op: WorkloadOp,
): Promise<Performed> {
  s.recorder.record('invoke', process, op.f, op.value, { node: node.name });
  let outcome: Outcome;
  try {
    outcome = await s.workload.invoke(client, op);
  } catch (e) {
    s.errors.record(`client of ${node.name}: ${op.f} ${JSON.stringify(op.value)}`, e);
    return { type: 'harness-error' };
  }
  const value = outcome.type === 'ok' ? outcome.value : outcome.type === 'fail' && outcome.value !== undefined ? outcome.value : op.value;
  const served = outcome.node ?? node.name;
  s.recorder.record(outcome.type, process, op.f, value, outcome.type === 'ok' ? { node: served } : { node: served, error: outcome.error });
  return outcome;
}

/** A client of `node`, or undefined after a harness error (counted). */
export async function openClient(s: Pick<ClientSettings, 'target' | 'run' | 'cluster' | 'errors'>, node: NodeAddress, timeoutMs: number): Promise<TargetClient | undefined> {
  try {
    return await s.target.client(node, s.cluster, s.run, { timeoutMs });
  } catch (e) {
    s.errors.record(`opening a client of ${node.name}`, e);
    return undefined;
  }
}

async function worker(s: ClientSettings, index: number, stop: AbortSignal): Promise<void> {
  const node = s.cluster.nodes[index % s.cluster.nodes.length]!;
  const meanGapMs = (1000 * s.concurrency) / s.rate;
  let process = index;
  let client: TargetClient | undefined;
  while (!stop.aborted) {
    // Exponential gaps: a Poisson stream per worker, which sums to the target rate.
    await sleep(-Math.log(1 - s.rng()) * meanGapMs, stop);
    if (stop.aborted) break;
    client ??= await openClient(s, node, s.timeoutMs);
    if (!client) {
      await sleep(s.timeoutMs, stop);
      continue;
    }
    let op: WorkloadOp;
    try {
      op = s.workload.next(s.rng);
    } catch (e) {
      s.errors.record('the workload generator', e);
      await sleep(s.timeoutMs, stop);
      continue;
    }
    const outcome = await performOp(s, client, process, node, op);
    if (outcome.type === 'info' || outcome.type === 'harness-error') {
      process += s.concurrency;
      await client.close().catch(() => undefined);
      client = undefined;
    }
  }
  await client?.close().catch(() => undefined);
}

/** Run the workers until `stop` aborts; resolves when every in-flight op has completed. */
export async function runClients(s: ClientSettings, stop: AbortSignal): Promise<void> {
  await Promise.all(Array.from({ length: s.concurrency }, (_, i) => worker(s, i, stop)));
}
