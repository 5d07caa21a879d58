/**
 * The search's reductions (forced reads, read pruning, crashed-call groups,
 * dominance, crashed runs only on demand, the overwritten-read rule) must
 * never change a verdict, and the quick witness of a register (witness.ts)
 * must never accept a history that is not linearizable. We compare against
 * a brute-force reference that has none of them, on thousands of small
 * random histories, valid and not, checked with the witness and without it.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { rng } from '../../bench/register-histories.js';
import { checkLinearizable, hasEvidence } from './index.js';
import type { ModelName, Semantics } from './models/index.js';

/**
 * A second, independent statement of each model's semantics, written from
 * the models' documentation rather than from models/*.ts, so that a mistake
 * in a model's `step` cannot hide in both sides of the comparison. The state
 * is plain data; undefined means the call is not legal.
 */
type RefCall = { f: string; value: unknown; outcome: 'ok' | 'failed' | 'unknown' };
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function referenceModel(name: ModelName, semantics: Semantics): { init(init: unknown): unknown; step(state: unknown, c: RefCall): unknown } {
  switch (name) {
    case 'cas-register':
      return {
        init: (init) => init ?? null,
        step(state, { f, value, outcome }) {
          if (f === 'read') {
            if (outcome === 'unknown') return state;
            if (value === null && semantics === 'knossos') return state; // a nil read tells nothing
            return same(state, value) ? state : undefined;
          }
          if (f === 'write') return value;
          const [from, to] = value as [unknown, unknown];
          if (outcome === 'ok') return same(state, from) ? to : undefined;
          if (outcome === 'failed') return same(state, from) ? undefined : state; // etcd: the comparison failed
          return same(state, from) ? to : state; // crashed: took effect only if it matched
        },
      };
    case 'mutex':
      return {
        init: () => 'free',
        step: (state, { f }) => (f === 'acquire' ? (state === 'free' ? 'held' : undefined) : state === 'held' ? 'free' : undefined),
      };
    case 'kv': {
      const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
      return {
        init: () => '',
        step(state, { f, value, outcome }) {
          if (f === 'get') return outcome === 'unknown' || text(value) === state ? state : undefined;
          if (f === 'put') return text(value);
          return (state as string) + text(value);
        },
      };
    }
    case 'fifo-queue':
      return {
        init: () => [],
        step(state, { f, value, outcome }) {
          const q = state as unknown[];
          if (f === 'enqueue') return [...q, value];
          if (outcome === 'unknown') return q.slice(1); // removed the head, if there was one
          if (value === null) return q.length === 0 ? q : undefined;
          return q.length > 0 && same(q[0], value) ? q.slice(1) : undefined;
        },
      };
    case 'set':
      return {
        init: () => [],
        step(state, { f, value, outcome }) {
          const s = state as unknown[];
          if (f === 'add') return s.some((x) => same(x, value)) ? s : [...s, value].sort();
          if (outcome === 'unknown') return s;
          const read = [...new Set((value as unknown[]).map((x) => JSON.stringify(x)))].sort();
          return same(read, s.map((x) => JSON.stringify(x)).sort()) ? s : undefined;
        },
      };
    default:
      throw new Error(`no reference for ${name}`);
  }
}

/** Every order of the calls that respects real time, memoized on (done set, state). No reductions. */
function referenceVerdict(history: Op[], name: ModelName, semantics: Semantics, init: unknown): boolean {
  const model = referenceModel(name, semantics);
  const strip = (v: unknown) => (name === 'kv' && Array.isArray(v) ? v[1] : v); // kv values are [key, value]
  type C = RefCall & { start: number; end: number };
  const calls: C[] = [];
  const open = new Map<number, { op: Op; start: number }>();
  history.forEach((op, i) => {
    if (op.process === 'nemesis') return;
    if (op.type === 'invoke') return void open.set(op.process, { op, start: i });
    const { op: inv, start } = open.get(op.process)!;
    open.delete(op.process);
    if (op.type === 'ok') calls.push({ f: inv.f, value: strip(op.value), outcome: 'ok', start, end: i });
    else if (op.type === 'info') calls.push({ f: inv.f, value: strip(inv.value), outcome: 'unknown', start, end: Infinity });
    else if (semantics === 'etcd' && inv.f === 'cas') calls.push({ f: inv.f, value: inv.value, outcome: 'failed', start, end: i });
    else if (semantics === 'etcd' && inv.f === 'read') calls.push({ f: inv.f, value: inv.value, outcome: 'unknown', start, end: Infinity });
  });
  for (const { op, start } of open.values()) calls.push({ f: op.f, value: strip(op.value), outcome: 'unknown', start, end: Infinity });
  const seen = new Set<string>();
  const required = calls.filter((c) => c.end !== Infinity).length;
  const go = (done: boolean[], state: unknown, left: number): boolean => {
    if (left === 0) return true;
    const key = `${done.map((d) => (d ? 1 : 0)).join('')}|${JSON.stringify(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i]!;
      if (done[i]) continue;
      // c may go next only if no remaining call returned before c began.
      if (calls.some((d, j) => !done[j] && j !== i && d.end < c.start)) continue;
      const next = model.step(state, c);
      if (next === undefined) continue;
      done[i] = true;
      const ok = go(done, next, left - (c.end === Infinity ? 0 : 1));
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go(calls.map(() => false), model.init(init), required);
}

interface Spec {
  name: ModelName;
  /** Share of completions that are `info` (crashed); 0.15 when not given. */
  crashes?: number;
  label?: string;
  semantics: Semantics;
  init: unknown;
  op(r: () => number): { f: string; value: unknown; result: (ok: () => number) => unknown };
  /** A fresh `op` for each history, for specs that keep state across ops (unique values). */
  perHistory?: () => Spec['op'];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Random read, write and cas ops on a register, with the values each may see or use. */
function registerSpec(values: { reads: unknown[]; writes: unknown[]; casFrom: unknown[] }): Pick<Spec, 'name' | 'op'> {
  return {
    name: 'cas-register',
    op: (r) => {
      const f = pick(r, ['read', 'write', 'cas'] as const);
      if (f === 'read') return { f, value: null, result: (q) => pick(q, values.reads) };
      if (f === 'write') {
        const v = pick(r, values.writes);
        return { f, value: v, result: () => v };
      }
      const v = [pick(r, values.casFrom), pick(r, values.writes)];
      return { f, value: v, result: () => v };
    },
  };
}

/**
 * A register whose writes and cas set values never used before (as most real
 * tests do), so that the crashed-call reductions (crashed-calls.ts) apply;
 * reads and cas compare with one of the last few values set.
 */
function uniqueRegisterSpec(): Pick<Spec, 'name' | 'op' | 'perHistory'> {
  const fresh = (): Spec['op'] => {
    let last = 0;
    const recent = (q: () => number) => Math.max(0, last - Math.floor(q() * 3));
    return (r) => {
      const f = pick(r, ['read', 'write', 'cas'] as const);
      if (f === 'read') return { f, value: null, result: (q) => recent(q) };
      const v = ++last;
      if (f === 'write') return { f, value: v, result: () => v };
      const c = [recent(r), v];
      return { f, value: c, result: () => c };
    };
  };
  return { name: 'cas-register', op: fresh(), perHistory: fresh };
}

const specs: Spec[] = [
  { ...uniqueRegisterSpec(), semantics: 'knossos', init: 0, crashes: 0.3, label: 'unique values, many crashed ops' },
  { ...uniqueRegisterSpec(), semantics: 'etcd', init: 0, crashes: 0.3, label: 'unique values, many crashed ops' },
  { ...registerSpec({ reads: [0, 1, 2], writes: [0, 1, 2], casFrom: [0, 1, 2] }), semantics: 'strict', init: 0, crashes: 0.4, label: 'many crashed ops' },
  { ...registerSpec({ reads: [0, 1, 2, null], writes: [0, 1, 2], casFrom: [0, 1, 2] }), semantics: 'knossos', init: 0 },
  { ...registerSpec({ reads: [1, 2, null], writes: [1, 2], casFrom: [null, 1, 2] }), semantics: 'etcd', init: null },
  {
    name: 'mutex',
    semantics: 'knossos',
    init: undefined,
    op: (r) => ({ f: pick(r, ['acquire', 'release']), value: null, result: () => null }),
  },
  {
    name: 'kv',
    semantics: 'knossos',
    init: undefined,
    op: (r) => {
      const f = pick(r, ['get', 'put', 'append'] as const);
      if (f === 'get') return { f, value: ['k', null], result: (q) => ['k', pick(q, ['', 'a', 'ab', 'b', 'ba', 'aa'])] };
      const v = ['k', pick(r, ['a', 'b'])];
      return { f, value: v, result: () => v };
    },
  },
  {
    name: 'fifo-queue',
    semantics: 'knossos',
    init: undefined,
    op: (r) => {
      if (r() < 0.5) {
        const v = pick(r, [1, 2]);
        return { f: 'enqueue', value: v, result: () => v };
      }
      return { f: 'dequeue', value: null, result: (q) => pick(q, [1, 2, null]) };
    },
  },
  {
    name: 'set',
    semantics: 'knossos',
    init: undefined,
    op: (r) => {
      if (r() < 0.6) {
        const v = pick(r, [1, 2, 3]);
        return { f: 'add', value: v, result: () => v };
      }
      return { f: 'read', value: null, result: (q) => pick(q, [[], [1], [1, 2], [2, 3], [1, 2, 3]]) };
    },
  },
];

/** A random history: a few processes, a few ops, random outcomes and results. */
function randomHistory(spec: Spec, seed: number): Op[] {
  const r = rng(seed);
  const op = spec.perHistory ? spec.perHistory() : spec.op;
  const ops: Op[] = [];
  const processes = 2 + Math.floor(r() * 3);
  const total = 3 + Math.floor(r() * 6);
  const inFlight = new Map<number, ReturnType<Spec['op']>>();
  let started = 0;
  let nextProcess = processes;
  const idle = Array.from({ length: processes }, (_, i) => i);
  const emit = (type: Op['type'], process: number, f: string, value: unknown) =>
    ops.push({ index: ops.length, time: ops.length, type, process, f, value });
  while (started < total || inFlight.size > 0) {
    if (started < total && idle.length > 0 && (inFlight.size === 0 || r() < 0.5)) {
      const p = idle.splice(Math.floor(r() * idle.length), 1)[0]!;
      const o = op(r);
      inFlight.set(p, o);
      emit('invoke', p, o.f, o.value);
      started++;
    } else {
      const p = pick(r, [...inFlight.keys()]);
      const o = inFlight.get(p)!;
      inFlight.delete(p);
      const x = r();
      if (x < (spec.crashes ?? 0.15)) {
        emit('info', p, o.f, o.value);
        idle.push(nextProcess++);
        continue;
      }
      if (x < (spec.crashes ?? 0.15) + 0.1) emit('fail', p, o.f, o.value);
      else emit('ok', p, o.f, o.result(r));
      idle.push(p);
    }
  }
  return ops;
}

describe('the optimized search agrees with a brute-force reference', () => {
  for (const spec of specs) {
    it(`${spec.name} (${spec.semantics} semantics${spec.label ? `, ${spec.label}` : ''}) on 1500 random histories`, () => {
      let invalid = 0;
      let dropped = 0;
      let required = 0;
      let witnessed = 0;
      for (let seed = 1; seed <= 1500; seed++) {
        const h = randomHistory(spec, seed * 7919 + spec.name.length + (spec.label?.length ?? 0));
        const linearizable = referenceVerdict(h, spec.name, spec.semantics, spec.init);
        // A history in which nothing completed ok proves nothing: the checker says unknown.
        const expected = linearizable && !hasEvidence(h, spec.semantics) ? 'unknown' : linearizable;
        const options = { model: spec.name, semantics: spec.semantics, init: spec.init };
        // The search alone (every reduction, no witness), then the whole check.
        const searched = checkLinearizable(h, { ...options, witness: false });
        const result = checkLinearizable(h, options);
        if (searched.droppedUnobserved) dropped++;
        if (searched.requiredCrashed) required++;
        if (result.valid === true && result.configurations === 0 && searched.configurations > 0) witnessed++;
        for (const [how, got] of [['search', searched.valid], ['check', result.valid]] as const) {
          if (got !== expected) throw new Error(`seed ${seed} (${how}): expected ${expected}, got ${got}\n${h.map((o) => JSON.stringify(o)).join('\n')}`);
        }
        if (!expected) invalid++;
      }
      // Both verdicts must be well represented, or the comparison proves little.
      expect(invalid).toBeGreaterThan(150);
      expect(invalid).toBeLessThan(1350);
      // The crashed-call reductions must be exercised where they apply, and the witness too.
      if (spec.perHistory) {
        expect(Math.min(dropped, required)).toBeGreaterThan(150);
      }
      if (spec.name === 'cas-register') expect(witnessed).toBeGreaterThan(150);
    });
  }
});
