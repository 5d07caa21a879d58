/**
 * The store's workloads, each a factory of the harness' Workload:
 * - register: reads and writes of independent keys (siblings visible in
 *   the history); checked for quorum reads and convergence;
 * - session: the same operations on fewer keys at a time, so that each
 *   client process (a session) comes back to what it read and wrote;
 *   checked for the four session guarantees too;
 * - set: each operation adds a unique element to one of a few set keys,
 *   chosen by a hash of the element, so adds to one key come at random times
 *   and sometimes overlap (a read-modify-write: read the siblings, merge them
 *   by union, add, write over what was read); reads return the union of
 *   every key; checked for lost adds and convergence.
 * Each ends with a look at every replica until they agree (converge.ts),
 * then final reads; and judges the history on the consistency ladder.
 */
import { setWorkload } from '../../../harness/workloads/set.js';
import { kindIsF, type Workload, type WorkloadContext, type WorkloadOp } from '../../../harness/workloads/types.js';
import type { Outcome, TargetClient } from '../../../harness/target.js';
import { DynamoClient } from '../client.js';
import { settingsOf, type DynamoSettings } from '../settings.js';
import { convergeOp, lookUntilConverged } from './converge.js';
import { judge, type Judged } from './judge.js';
import { KeyedOps, type KeyedOpsShape } from './keyed-ops.js';

/** The workloads run the store's own client (through the harness' TargetClient seam). */
function dynamoClient(c: TargetClient): DynamoClient {
  if (!(c instanceof DynamoClient)) throw new Error('the dynamo workloads need the dynamo client');
  return c;
}

/** Timeout of the final look: the harness gives final operations 5 s each. */
const LOOK_TIMEOUT_MS = 5000;

function keyedWorkload(name: string, shape: KeyedOpsShape, checked: Judged, s: DynamoSettings): Workload {
  const ops = new KeyedOps(shape);
  return {
    name,
    next: (rng) => ops.next(rng),
    invoke: (client, op) => (op.f === 'converge' ? lookUntilConverged(dynamoClient(client), (op.value as { keys: unknown[] }).keys, s.n, LOOK_TIMEOUT_MS) : client.invoke(op.f, op.value)),
    finalOps: () => [convergeOp(ops.keys()), ...ops.keys().map((k): WorkloadOp => ({ f: 'read', value: [k, null] }))],
    kinds: { required: ['read', 'write'], of: kindIsF },
    check: (history) => judge(history, s, checked),
  };
}

export function registerWorkload({ concurrency, run }: WorkloadContext): Workload {
  const s = settingsOf(run);
  return keyedWorkload('register', { activeKeys: Math.max(1, Math.ceil(concurrency / 3)), opsPerKey: 120, readShare: 0.5 }, { quorum: true }, s);
}

export function sessionWorkload({ concurrency, run }: WorkloadContext): Workload {
  const s = settingsOf(run);
  return keyedWorkload('session', { activeKeys: Math.max(1, Math.ceil(concurrency / 5)), opsPerKey: 400, readShare: 0.5 }, { quorum: true, session: true }, s);
}

/** Set keys, 0 .. SET_KEYS-1. */
export const SET_KEYS = 8;
const setKeys = Array.from({ length: SET_KEYS }, (_, k) => k);

/**
 * The key an element goes to: a hash of it (murmur3's finalizer), so the
 * adds to a key come at random times. Not e mod SET_KEYS (nor a
 * multiplicative hash): elements are handed out in order, and that would
 * space the adds to each key evenly, never letting two of them overlap.
 */
export function setKeyOf(e: number): number {
  let h = e >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % SET_KEYS;
}

/** Union of sibling sets, sorted. */
function union(siblings: readonly unknown[]): number[] {
  const all = new Set<number>();
  for (const s of siblings) if (Array.isArray(s)) for (const x of s) all.add(x as number);
  return [...all].sort((a, b) => a - b);
}

async function addElement(c: DynamoClient, e: number): Promise<Outcome> {
  const key = setKeyOf(e);
  const read = await c.read(key);
  if (read.type !== 'ok') return { type: 'fail', error: `reading set ${key} before the add: ${read.error}` };
  const w = await c.write(key, union([...read.values, [e]]));
  return w.type === 'ok' ? { type: 'ok', value: e } : w;
}

async function readAll(c: DynamoClient): Promise<Outcome> {
  const reads = await Promise.all(setKeys.map((k) => c.read(k)));
  const failed = reads.find((r) => r.type !== 'ok');
  if (failed?.type === 'fail') return failed;
  return { type: 'ok', value: union(reads.flatMap((r) => (r.type === 'ok' ? r.values : []))) };
}

export function dynamoSetWorkload({ run }: WorkloadContext): Workload {
  const s = settingsOf(run);
  // A Dynamo set is not linearizable: a read may miss an acknowledged add; only a lost add is an anomaly.
  const generic = setWorkload({ linearizable: false });
  return {
    ...generic,
    invoke(client, op) {
      const c = dynamoClient(client);
      if (op.f === 'add') return addElement(c, op.value as number);
      if (op.f === 'read') return readAll(c);
      if (op.f === 'converge') return lookUntilConverged(c, setKeys, s.n, LOOK_TIMEOUT_MS);
      return Promise.resolve({ type: 'fail', error: `unknown operation ${op.f}` });
    },
    finalOps: () => [convergeOp(setKeys), ...generic.finalOps()],
    check: (history) => judge(history, s, { set: true }),
  };
}
