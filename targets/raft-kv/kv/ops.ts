/**
 * Key-value operations: what a client asks for, how the harness spells it
 * (f + value of the history model), and what comes back.
 */

/** A key keeps its JSON type end to end: 3 and "3" are different keys, and a read of 3 answers [3, v]. */
export type Key = string | number;

export type MicroOp = { f: 'append'; key: Key; value: unknown } | { f: 'r'; key: Key };

export type KvOp =
  | { f: 'read'; key: Key }
  | { f: 'write'; key: Key; value: unknown }
  | { f: 'cas'; key: Key; from: unknown; to: unknown }
  | { f: 'txn'; ops: MicroOp[] }
  /** The set workload: add an element to the one set, or read the whole set. */
  | { f: 'add'; element: unknown }
  | { f: 'read-set' };

/** Result of applying an op; `fail` means the op certainly had no effect. */
export type KvResult = { type: 'ok'; value: unknown } | { type: 'fail'; error: string };

/** The key the set workload keeps its elements under. */
export const SET_KEY = '__set__';

/** Whether an op only reads (and may take a read path other than the log). */
export function isReadOnly(op: KvOp): boolean {
  return op.f === 'read' || op.f === 'read-set' || (op.f === 'txn' && op.ops.every((m) => m.f === 'r'));
}

function asKey(k: unknown): Key {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' && Number.isFinite(k)) return k;
  throw new TypeError(`key must be a string or number, got ${JSON.stringify(k)}`);
}

function asMicroOp(m: unknown): MicroOp {
  if (!Array.isArray(m) || m.length !== 3) throw new TypeError(`micro-op must be [f, k, v], got ${JSON.stringify(m)}`);
  const [f, k, v] = m as [unknown, unknown, unknown];
  if (f === 'append') return { f: 'append', key: asKey(k), value: v };
  if (f === 'r') return { f: 'r', key: asKey(k) };
  throw new TypeError(`unknown micro-op ${JSON.stringify(f)}`);
}

/** Parse the harness' `f` and `value` into an op; throws TypeError on a malformed request. */
export function parseOp(f: string, value: unknown): KvOp {
  switch (f) {
    case 'read':
      if (value === null || value === undefined) return { f: 'read-set' };
      if (Array.isArray(value) && value.length === 2) return { f: 'read', key: asKey(value[0]) };
      break;
    case 'write':
      if (Array.isArray(value) && value.length === 2) return { f: 'write', key: asKey(value[0]), value: value[1] };
      break;
    case 'cas':
      if (Array.isArray(value) && value.length === 2 && Array.isArray(value[1]) && value[1].length === 2) {
        return { f: 'cas', key: asKey(value[0]), from: value[1][0], to: value[1][1] };
      }
      break;
    case 'txn':
      if (Array.isArray(value)) return { f: 'txn', ops: value.map(asMicroOp) };
      break;
    case 'add':
      return { f: 'add', element: value };
  }
  throw new TypeError(`cannot parse ${f} ${JSON.stringify(value)}`);
}

/** The completed op's value in the harness' spelling. */
export function completionValue(op: KvOp, result: unknown, invoked: unknown): unknown {
  switch (op.f) {
    case 'read':
      return [op.key, result];
    case 'read-set':
    case 'txn':
      return result;
    default:
      return invoked;
  }
}
