/**
 * The final phase of a run: heal every fault, wait until the cluster serves
 * again (the target's readiness probe; the time it took is recorded), then
 * run the workload's final operations (reads of everything the run
 * touched), each retried on the nodes in turn until it succeeds.
 * A cluster that does not serve again within the deadline is a liveness
 * failure, and its final operations are not attempted.
 */
import { NemesisHealError, type Nemesis } from '../../nemeses/index.js';
import type { Recovery } from '../run-record.js';
import type { ClusterLayout, TargetDefinition, TargetRunOptions } from '../target.js';
import type { Workload } from '../workloads/types.js';
import { openClient, performOp, sleep } from './clients.js';
import { waitUntilServing } from './cluster.js';
import type { HarnessErrors } from './harness-errors.js';
import type { Recorder } from './recorder.js';

export interface FinalPhaseInput {
  target: TargetDefinition;
  run: TargetRunOptions;
  cluster: ClusterLayout;
  workload: Workload;
  nemesis: Nemesis;
  recorder: Recorder;
  errors: HarnessErrors;
  recoveryTimeoutMs: number;
  /** Timeout of one final operation. */
  opTimeoutMs: number;
  log(line: string): void;
}

export interface FinalPhaseResult {
  healFailures: string[];
  recovery: Recovery;
  finals: { asked: number; ok: number };
  /** History index from which operations belong to the final phase. */
  finalFrom: number;
}

/** Heal, with the heal recorded as a nemesis operation (its failures as its error). */
async function healAll(nemesis: Nemesis, recorder: Recorder): Promise<string[]> {
  recorder.record('info', 'nemesis', 'heal-all', null);
  try {
    await nemesis.healAll();
    recorder.record('info', 'nemesis', 'heal-all', null);
    return [];
  } catch (e) {
    const failures = e instanceof NemesisHealError ? [...e.failures] : [e instanceof Error ? e.message : String(e)];
    recorder.record('fail', 'nemesis', 'heal-all', null, { error: failures.join('; ') });
    return failures;
  }
}

export async function finalPhase(f: FinalPhaseInput): Promise<FinalPhaseResult> {
  f.log('healing every fault');
  const healFailures = await healAll(f.nemesis, f.recorder);
  for (const h of healFailures) f.log(`heal failed: ${h}`);
  const finalFrom = f.recorder.ops.length;
  const servedAfter = await waitUntilServing(f.target, f.cluster, f.run, f.recoveryTimeoutMs);
  const ops = f.workload.finalOps();
  if (servedAfter === undefined) {
    f.log(`the cluster did not serve again within ${f.recoveryTimeoutMs / 1000} s of the heal: liveness failure${ops.length ? '; final operations skipped' : ''}`);
    return { healFailures, recovery: { served: false, deadlineMs: f.recoveryTimeoutMs }, finals: { asked: ops.length, ok: 0 }, finalFrom };
  }
  f.log(`the cluster serves again, ${(servedAfter / 1000).toFixed(1)} s after the heal${ops.length ? `; ${ops.length} final operations` : ''}`);
  const ok = await runFinalOps(f, ops, Date.now() + f.recoveryTimeoutMs);
  return { healFailures, recovery: { served: true, afterMs: servedAfter }, finals: { asked: ops.length, ok }, finalFrom };
}

/** Each final operation retried on the nodes in turn until ok, within the deadline; how many succeeded. */
async function runFinalOps(f: FinalPhaseInput, ops: readonly { f: string; value: unknown }[], deadline: number): Promise<number> {
  // Fresh process ids, after every one the workers used.
  let proc = 1 + f.recorder.ops.reduce((max, o) => (typeof o.process === 'number' && o.process > max ? o.process : max), -1);
  const nodes = f.cluster.nodes;
  let succeeded = 0;
  let next = 0;
  for (const op of ops) {
    for (let attempt = 0; attempt < 3 * nodes.length && Date.now() < deadline; attempt++) {
      const node = nodes[next++ % nodes.length]!;
      const client = await openClient({ ...f, cluster: f.cluster }, node, f.opTimeoutMs);
      if (!client) break;
      const outcome = await performOp(f, client, proc, node, op);
      await client.close().catch(() => undefined);
      if (outcome.type === 'ok') {
        succeeded++;
        next--; // stay with a node that answers
        break;
      }
      if (outcome.type !== 'fail') proc++;
      await sleep(200);
    }
  }
  return succeeded;
}
