/**
 * Client workers: each runs one operation at a time against the node it is
 * bound to (round-robin), at a share of the target rate. After an `info`
 * (unknown outcome) its process retires and it goes on as a fresh process,
 * as in Jepsen, with a fresh connection.
 */
import type { ClusterLayout, NodeAddress, Outcome, TargetClient, TargetDefinition } from '../target.js';
import type { Rng, Workload, WorkloadOp } from '../workloads/types.js';
import type { Recorder } from './recorder.js';

export interface ClientSettings {
  target: TargetDefinition;
  cluster: ClusterLayout;
  workload: Workload;
  recorder: Recorder;
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

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Invoke one op, recording invocation and completion. Never throws: an exception is an `info`. */
export async function performOp(
  s: Pick<ClientSettings, 'workload' | 'recorder'>,
  client: TargetClient,
  process: number,
  node: NodeAddress,
  op: WorkloadOp,
): Promise<Outcome> {
  s.recorder.record('invoke', process, op.f, op.value, { node: node.name });
  let outcome: Outcome;
  try {
    outcome = await s.workload.invoke(client, op);
  } catch (e) {
    outcome = { type: 'info', error: errorText(e) };
  }
  const value = outcome.type === 'ok' ? outcome.value : outcome.type === 'fail' && outcome.value !== undefined ? outcome.value : op.value;
  s.recorder.record(outcome.type, process, op.f, value, outcome.type === 'ok' ? { node: node.name } : { node: node.name, error: outcome.error });
  return outcome;
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
    client ??= await s.target.client(node, s.cluster, { timeoutMs: s.timeoutMs });
    const outcome = await performOp(s, client, process, node, s.workload.next(s.rng));
    if (outcome.type === 'info') {
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
