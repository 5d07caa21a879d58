/**
 * Transactional histories for the Elle-like checkers' tests and benchmark:
 * - `TxnHistory`, a builder for small hand-written ones in Elle's shorthand
 *   ("ax1 ry12" is append 1 to x, then read y = [1 2]; "wx1 rx" writes x = 1,
 *   then reads x = nil);
 * - `serialAppendHistory`, list-append histories strictly serializable by
 *   construction: each transaction takes effect atomically at an instant
 *   between its invocation and its completion.
 */
import type { Op, OpType } from '../harness/history/op.js';
import { seededRng as rng } from '../nemeses/rng.js';

/** Micro-ops from shorthand: a (append), w (write), r (read), then a one-letter key, then digits. */
export function mops(s: string, registers = false): unknown[] {
  const out: unknown[] = [];
  for (const [, f, k, digits] of s.matchAll(/([arw])([a-z])(\d*)/g)) {
    if (f === 'a') out.push(['append', k, Number(digits)]);
    else if (f === 'w') out.push(['w', k, Number(digits)]);
    else if (registers) out.push(['r', k, digits === '' ? null : Number(digits)]);
    else out.push(['r', k, [...digits!].map(Number)]);
  }
  return out;
}

/** Reads blanked, as an invocation records them. */
function unread(value: unknown[]): unknown[] {
  return value.map((m) => ((m as unknown[])[0] === 'r' ? ['r', (m as unknown[])[1], null] : m));
}

export class TxnHistory {
  readonly ops: Op[] = [];
  private readonly inFlight = new Map<number, unknown[]>();

  constructor(private readonly registers = false) {}

  invoke(process: number, s: string): this {
    const value = mops(s, this.registers);
    this.inFlight.set(process, value);
    return this.push('invoke', process, unread(value));
  }

  /** Complete the process's transaction; an ok one with the reads of `s` (default: as invoked). */
  complete(process: number, type: Exclude<OpType, 'invoke'>, s?: string): this {
    const invoked = this.inFlight.get(process) ?? [];
    this.inFlight.delete(process);
    const value = s === undefined ? invoked : mops(s, this.registers);
    return this.push(type, process, type === 'ok' ? value : unread(value));
  }

  /** Invoke and complete at once. */
  txn(process: number, s: string, type: Exclude<OpType, 'invoke'> = 'ok'): this {
    return this.invoke(process, s).complete(process, type, s);
  }

  private push(type: OpType, process: number, value: unknown): this {
    const index = this.ops.length;
    this.ops.push({ index, time: index * 1_000_000, type, process, f: 'txn', value });
    return this;
  }
}

export interface AppendHistoryOptions {
  seed: number;
  processes: number;
  txns: number;
  /** Keys in use at a time (default 8); a key is retired after `appendsPerKey` appends. */
  keys?: number;
  appendsPerKey?: number;
  /** Micro-ops per transaction, 1 to this (default 4). */
  maxLength?: number;
  /** Fraction of transactions that fail (take no effect) and that crash (info: take effect or not). */
  failRate?: number;
  crashRate?: number;
}

interface InFlight {
  value: unknown[];
  applied?: unknown[];
  outcome: 'ok' | 'fail' | 'info';
}

export function serialAppendHistory(o: AppendHistoryOptions): Op[] {
  const random = rng(o.seed);
  const keyCount = o.keys ?? 8;
  const perKey = o.appendsPerKey ?? 32;
  const maxLength = o.maxLength ?? 4;
  const lists = new Map<number, number[]>();
  const active = Array.from({ length: keyCount }, (_, i) => ({ key: i, appends: 0 }));
  let nextKey = keyCount;
  let element = 0;
  const ops: Op[] = [];
  let time = 0;
  const push = (type: OpType, process: number, value: unknown) => {
    time += 1 + Math.floor(random() * 1_000_000);
    ops.push({ index: ops.length, time, type, process, f: 'txn', value });
  };
  const flight = new Map<number, InFlight>();
  let started = 0;
  while (started < o.txns || flight.size > 0) {
    const p = Math.floor(random() * o.processes);
    const f = flight.get(p);
    if (!f) {
      if (started >= o.txns) continue;
      started++;
      const value: unknown[] = [];
      const n = 1 + Math.floor(random() * maxLength);
      for (let i = 0; i < n; i++) {
        const slot = active[Math.floor(random() * active.length)]!;
        if (random() < 0.5) value.push(['r', slot.key, null]);
        else {
          if (slot.appends++ >= perKey) {
            slot.key = nextKey++;
            slot.appends = 1;
          }
          value.push(['append', slot.key, ++element]);
        }
      }
      const roll = random();
      const outcome = roll < (o.failRate ?? 0) ? 'fail' : roll < (o.failRate ?? 0) + (o.crashRate ?? 0) ? 'info' : 'ok';
      flight.set(p, { value, outcome });
      push('invoke', p, value);
    } else if (!f.applied) {
      // The instant it takes effect (a failed one, or half the crashed ones, never do).
      const takesEffect = f.outcome === 'ok' || (f.outcome === 'info' && random() < 0.5);
      f.applied = f.value.map((m) => {
        const [fn, k, v] = m as [string, number, unknown];
        const list = lists.get(k) ?? [];
        if (!takesEffect) return m;
        if (fn === 'append') {
          list.push(v as number);
          lists.set(k, list);
          return m;
        }
        return ['r', k, list.slice()];
      });
    } else {
      flight.delete(p);
      push(f.outcome, p, f.outcome === 'ok' ? f.applied : f.value);
    }
  }
  return ops;
}
