/**
 * The harness' operations as Redis commands, the way an application would
 * write them:
 * - set: `add` x is SADD of x to one set, `read` is SMEMBERS;
 * - register: `read` [k, null] is GET, `write` [k, v] is SET, `cas`
 *   [k, [old, new]] is a Lua script (EVAL) that compares and sets
 *   atomically on the master; a comparison that fails is `fail`;
 * - append: `txn` [['append', k, x], ['r', k, null]] is RPUSH and LRANGE
 *   inside MULTI/EXEC, the reads filled in.
 * Values are stored as decimal strings and read back as numbers. A
 * command's error is thrown to the client, which says what it means.
 */
import type { Redis } from 'ioredis';
import type { Outcome } from '../../harness/target.js';

export const SET_KEY = 'harness:set';
export const registerKey = (k: unknown): string => `harness:register:${String(k)}`;
export const listKey = (k: unknown): string => `harness:list:${String(k)}`;

/** Compare-and-set in one atomic step on the master: 1 when the value was `old` and is now `new`, else 0. */
export const CAS_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]); return 1 else return 0 end`;

/** A stored value as the workloads wrote it: integers come back as numbers; anything else as the string read. */
export function parseStored(s: string | null): number | string | null {
  if (s === null) return null;
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

export type Perform = (redis: Redis) => Promise<Outcome>;
type MicroOp = [f: string, key: unknown, value: unknown];

/** How to perform `f` on `value` with Redis commands; a string says why the operation is malformed. */
export function operation(f: string, value: unknown): Perform | string {
  switch (f) {
    case 'add':
      return async (r) => {
        await r.sadd(SET_KEY, String(value));
        return { type: 'ok', value };
      };
    case 'read':
      if (value === null) return async (r) => ({ type: 'ok', value: (await r.smembers(SET_KEY)).map(parseStored) });
      if (isPair(value)) return async (r) => ({ type: 'ok', value: [value[0], parseStored(await r.get(registerKey(value[0])))] });
      break;
    case 'write':
      if (isPair(value)) {
        return async (r) => {
          await r.set(registerKey(value[0]), String(value[1]));
          return { type: 'ok', value };
        };
      }
      break;
    case 'cas':
      if (isPair(value) && isPair(value[1])) {
        const [k, [from, to]] = value as [unknown, [unknown, unknown]];
        return async (r) => {
          const swapped = await r.eval(CAS_SCRIPT, 1, registerKey(k), String(from), String(to));
          return swapped === 1 ? { type: 'ok', value } : { type: 'fail', error: 'compare failed: the value was not the expected one' };
        };
      }
      break;
    case 'txn':
      if (Array.isArray(value) && value.every(isMicroOp)) return (r) => transaction(r, value as MicroOp[]);
      break;
  }
  return `redis-sentinel cannot perform ${f} ${JSON.stringify(value)}`;
}

function isPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2;
}

function isMicroOp(m: unknown): boolean {
  return Array.isArray(m) && m.length === 3 && (m[0] === 'append' || m[0] === 'r');
}

/** MULTI, the micro-ops, EXEC: all or nothing, and the reads see the transaction's own appends. */
async function transaction(r: Redis, mops: readonly MicroOp[]): Promise<Outcome> {
  const multi = r.multi();
  for (const [f, k, x] of mops) {
    if (f === 'append') multi.rpush(listKey(k), String(x));
    else multi.lrange(listKey(k), 0, -1);
  }
  const results = await multi.exec();
  if (results === null) return { type: 'fail', error: 'EXEC returned nil: the transaction was discarded' };
  const failed = results.find(([err]) => err);
  // A command failing inside EXEC does not undo the others: the transaction happened in part.
  if (failed) return { type: 'info', error: `a command failed inside EXEC, the others applied: ${(failed[0] as Error).message}` };
  const filled = mops.map(([f, k, x], i): MicroOp => (f === 'r' ? [f, k, (results[i]![1] as string[]).map(parseStored)] : [f, k, x]));
  return { type: 'ok', value: filled };
}
