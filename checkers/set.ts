/**
 * The set checker (Jepsen's set-full, simplified to one final read): clients
 * add unique elements; after the faults are healed one read returns the set.
 * - lost: adds that were acknowledged (ok) but are missing from the read;
 * - unexpected: elements in the read that nobody tried to add;
 * - recovered: adds of unknown outcome (info) that are in the read (fine);
 * Valid when nothing is lost or unexpected; unknown without a final read.
 */
import type { History } from '../harness/history/op.js';

export interface SetResult {
  valid: true | false | 'unknown';
  attempted: number;
  acknowledged: number;
  /** Size of the final read, when there was one. */
  read: number;
  lost: unknown[];
  unexpected: unknown[];
  recovered: unknown[];
  /** Index of the final read's completion in the history. */
  finalReadIndex?: number;
}

const key = (v: unknown) => JSON.stringify(v);

export function checkSet(history: History): SetResult {
  const attempted = new Map<string, unknown>();
  const acknowledged = new Set<string>();
  const unknown = new Set<string>();
  const invoked = new Map<number, unknown>();
  let finalRead: { value: unknown[]; index: number } | undefined;
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.f === 'add') {
      if (op.type === 'invoke') {
        attempted.set(key(op.value), op.value);
        invoked.set(op.process, op.value);
      } else if (op.type === 'ok') acknowledged.add(key(op.value));
      else if (op.type === 'info') unknown.add(key(invoked.get(op.process)));
    } else if (op.f === 'read' && op.type === 'ok' && Array.isArray(op.value)) {
      finalRead = { value: op.value, index: op.index };
    }
  }
  const base = { attempted: attempted.size, acknowledged: acknowledged.size };
  if (!finalRead) return { valid: 'unknown', ...base, read: 0, lost: [], unexpected: [], recovered: [] };
  const read = new Set(finalRead.value.map(key));
  const lost = [...acknowledged].filter((k) => !read.has(k)).map((k) => attempted.get(k));
  const unexpected = finalRead.value.filter((v) => !attempted.has(key(v)));
  const recovered = [...unknown].filter((k) => read.has(k)).map((k) => attempted.get(k));
  return {
    valid: lost.length === 0 && unexpected.length === 0,
    ...base,
    read: read.size,
    lost,
    unexpected,
    recovered,
    finalReadIndex: finalRead.index,
  };
}
