/**
 * Register histories that are linearizable by construction: each operation
 * takes effect at a random instant inside its interval, on a real register,
 * and records what it saw. Crashed operations (`info`) take effect or not at
 * random. Used by the property tests and the benchmark.
 */
import type { Op } from '../harness/history/op.js';

export interface RegisterHistoryOptions {
  seed: number;
  processes: number;
  ops: number;
  /** Fraction of operations that crash (complete as `info`). */
  crashRate: number;
  /**
   * Values are drawn from 0..values-1; or, with 'unique', every write and
   * cas sets a value never used before (1, 2, 3, ...), and a cas compares
   * with the register's value at its invocation half the time, otherwise
   * with an earlier value.
   */
  values: number | 'unique';
  /** Whether reads crash too (crashed reads tell nothing; the checker drops them). Default true. */
  crashReads?: boolean;
  /** Relative weights of read, write and cas. */
  mix?: { read: number; write: number; cas: number };
}

export { seededRng as rng } from '../nemeses/rng.js';
import { seededRng as rng } from '../nemeses/rng.js';

interface Pending {
  process: number;
  f: 'read' | 'write' | 'cas';
  arg: unknown;
  /** Set when the op has taken effect: what it returns. */
  result?: { type: 'ok' | 'fail'; value: unknown };
  crashes: boolean;
}

export function linearizableRegisterHistory(o: RegisterHistoryOptions): Op[] {
  const rand = rng(o.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const mix = o.mix ?? { read: 1, write: 1, cas: 1 };
  const total = mix.read + mix.write + mix.cas;
  let register: number = 0;
  let fresh = 0;
  const written: number[] = [0];
  const value = () => {
    if (o.values !== 'unique') return int(o.values);
    written.push(++fresh);
    return fresh;
  };
  const casFrom = () => (o.values !== 'unique' ? int(o.values) : rand() < 0.5 ? register : written[int(written.length)]!);
  const history: Op[] = [];
  const emit = (op: Omit<Op, 'index' | 'time'>) => history.push({ index: history.length, time: history.length, ...op } as Op);
  let nextProcess = o.processes;
  const idle: number[] = Array.from({ length: o.processes }, (_, i) => i);
  const inFlight: Pending[] = [];
  let invoked = 0;
  while (invoked < o.ops || inFlight.length > 0) {
    const choice = rand();
    if (invoked < o.ops && idle.length > 0 && (inFlight.length === 0 || choice < 0.4)) {
      // Invoke an op on an idle process.
      const process = idle.splice(int(idle.length), 1)[0]!;
      const r = rand() * total;
      const f = r < mix.read ? 'read' : r < mix.read + mix.write ? 'write' : 'cas';
      const arg = f === 'read' ? null : f === 'write' ? value() : [casFrom(), value()];
      const crashes = rand() < o.crashRate && (f !== 'read' || o.crashReads !== false);
      inFlight.push({ process, f, arg, crashes });
      emit({ type: 'invoke', process, f, value: arg });
      invoked++;
    } else if (choice < 0.7) {
      // Some in-flight op takes effect now (its linearization point).
      const waiting = inFlight.filter((p) => !p.result);
      if (waiting.length === 0) continue;
      const p = waiting[int(waiting.length)]!;
      if (p.crashes && rand() < 0.5) {
        p.result = { type: 'fail', value: null }; // a crashed op that never took effect
        continue;
      }
      if (p.f === 'read') p.result = { type: 'ok', value: register };
      else if (p.f === 'write') {
        register = p.arg as number;
        p.result = { type: 'ok', value: p.arg };
      } else {
        const [from, to] = p.arg as [number, number];
        if (register === from) {
          register = to;
          p.result = { type: 'ok', value: p.arg };
        } else p.result = { type: 'fail', value: p.arg };
      }
    } else {
      // Some op that took effect completes.
      const done = inFlight.filter((p) => p.result);
      if (done.length === 0) continue;
      const p = done[int(done.length)]!;
      inFlight.splice(inFlight.indexOf(p), 1);
      if (p.crashes) {
        emit({ type: 'info', process: p.process, f: p.f, value: p.arg, error: 'timeout' });
        idle.push(nextProcess++); // Jepsen: a crashed process is replaced by a fresh one
      } else {
        emit({ type: p.result!.type, process: p.process, f: p.f, value: p.result!.value });
        idle.push(p.process);
      }
    }
  }
  return history;
}

/**
 * Make one ok read stale: it returns a value v such that, in every order
 * consistent with real time, the register was overwritten after the last
 * time v could have been written and before the read began. Returns the
 * index of the changed completion, or undefined when no read qualifies.
 */
export function injectStaleRead(history: Op[], seed: number): number | undefined {
  const rand = rng(seed);
  type Interval = { inv: Op; comp: Op | undefined; start: number; end: number };
  const intervals: Interval[] = [];
  const open = new Map<number | string, Interval>();
  history.forEach((op, i) => {
    if (op.type === 'invoke') {
      const iv: Interval = { inv: op, comp: undefined, start: i, end: Infinity };
      intervals.push(iv);
      open.set(op.process, iv);
    } else {
      const iv = open.get(op.process)!;
      open.delete(op.process);
      iv.comp = op;
      iv.end = op.type === 'info' ? Infinity : i;
    }
  });
  const sets = (iv: Interval): unknown => {
    if (iv.comp?.type === 'fail') return undefined;
    if (iv.inv.f === 'write') return iv.inv.value;
    if (iv.inv.f === 'cas') return (iv.inv.value as unknown[])[1];
    return undefined;
  };
  const reads = intervals.filter((iv) => iv.inv.f === 'read' && iv.comp?.type === 'ok');
  const start = Math.floor(rand() * reads.length);
  for (let k = 0; k < reads.length; k++) {
    const r = reads[(start + k) % reads.length]!;
    // The overwriter: the completed write/cas that began last among those finished before the read began.
    let w2: Interval | undefined;
    for (const iv of intervals) {
      if (iv.end < r.start && iv.comp?.type === 'ok' && sets(iv) !== undefined && (!w2 || iv.start > w2.start)) w2 = iv;
    }
    if (w2) {
      const overwrite = sets(w2);
      const values = new Set(intervals.map(sets).filter((v) => v !== undefined && v !== overwrite));
      values.add(0); // the initial value
      for (const v of values) {
        if (v === r.comp!.value || v === overwrite) continue;
        // Every op that might set v, invoked before the read returns, must finish before w2 begins.
        const setters = intervals.filter((iv) => sets(iv) === v && iv.start < r.end);
        if (setters.every((s) => s.end < w2.start)) {
          r.comp!.value = v;
          return r.comp!.index;
        }
      }
    }
  }
  return undefined;
}

/** A class of generated histories: same shape, several seeds. */
export interface HistoryClass {
  name: string;
  histories: { name: string; ops: Op[]; expected: boolean }[];
}

/**
 * One register, unique written values, 5% of writes and cas crashed (reads
 * never crash), at 5, 10, 20 and 50 processes: each seed valid, and again
 * with one stale read where one can be injected.
 */
export function uniqueValueClasses(seeds = 5): HistoryClass[] {
  const shapes = [
    { processes: 5, ops: 1500 },
    { processes: 10, ops: 1500 },
    { processes: 20, ops: 1500 },
    { processes: 50, ops: 5000 },
  ];
  return shapes.map(({ processes, ops }) => {
    const histories: HistoryClass['histories'] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const h = linearizableRegisterHistory({ seed, processes, ops, crashRate: 0.05, values: 'unique', crashReads: false });
      histories.push({ name: `seed${seed}-valid`, ops: h, expected: true });
      const stale = h.map((o) => ({ ...o }));
      if (injectStaleRead(stale, seed) !== undefined) histories.push({ name: `seed${seed}-stale`, ops: stale, expected: false });
    }
    return { name: `unique-${processes}p-${ops}`, histories };
  });
}
