import { describe, expect, it } from 'vitest';
import { injectStaleRead, linearizableRegisterHistory } from '../../bench/register-histories.js';
import type { Op } from '../../harness/history/op.js';
import { checkLinearizable } from './index.js';
import { createModel, registerOptions, type Semantics } from './models/index.js';
import { ANY, CAS, FAILED, OK, READ, UNKNOWN, WRITE, prepareRegister, valueId, type RegisterCalls } from './register-calls.js';
import type { Steps } from './search.js';
import { findWitness } from './witness.js';

function prepare(history: Op[], semantics: Semantics) {
  const p = prepareRegister(history, createModel('cas-register', semantics), semantics, registerOptions('cas-register', semantics)!);
  return { p, initial: valueId(p, 0) };
}

/** Why `steps` is not a linearization of `calls` from `initial`, or undefined: checked from the definition. */
function notALinearization(calls: RegisterCalls, steps: Steps, initial: number): string | undefined {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const at = new Map<number, number>();
  let state = initial;
  for (let d = 0; d < steps.calls.length; d++) {
    const i = steps.calls[d]!;
    if (at.has(i)) return `call ${i} twice`;
    at.set(i, d);
    if (kind[i] === READ && a[i] !== ANY && a[i] !== state) return `read ${i} of ${a[i]} in state ${state}`;
    if (kind[i] === WRITE) state = a[i]!;
    if (kind[i] === CAS && outcome[i] === OK && a[i] !== state) return `cas ${i} from ${a[i]} in state ${state}`;
    if (kind[i] === CAS && outcome[i] === FAILED && a[i] === state) return `failed cas ${i} from ${a[i]} in state ${state}`;
    if (kind[i] === CAS && outcome[i] !== FAILED && a[i] === state) state = b[i]!;
    if (steps.statesAfter[d] !== state) return `state after step ${d}: ${steps.statesAfter[d]}, not ${state}`;
  }
  for (let i = 0; i < kind.length; i++) if (outcome[i] !== UNKNOWN && !at.has(i)) return `completed call ${i} left out`;
  const order = [...at.keys()];
  for (const x of order) for (const y of order) if (returnAt[x]! < invokeAt[y]! && at.get(x)! > at.get(y)!) return `${x} returned before ${y} began, but follows it`;
  return undefined;
}

describe('the witness (a linearization found without search)', () => {
  it('is found for linearizable histories with unique values, and is a linearization (120 histories, both semantics)', () => {
    let found = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 12), ops: 60 + 5 * seed, crashRate: (seed % 5) * 0.05, values: 'unique' });
      for (const semantics of ['knossos', 'etcd'] as const) {
        const { p, initial } = prepare(h, semantics);
        const w = findWitness(p.calls, p.values.length, initial).steps;
        if (!w) continue;
        found++;
        expect(notALinearization(p.calls, w, initial)).toBeUndefined();
      }
    }
    expect(found).toBeGreaterThanOrEqual(115);
  });

  it('is never found for a history with a stale read, which the check then refutes (120 histories)', () => {
    let tried = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 12), ops: 60 + 3 * seed, crashRate: (seed % 5) * 0.05, values: seed % 4 === 0 ? 4 : 'unique' });
      if (injectStaleRead(h, seed) === undefined) continue;
      tried++;
      const { p, initial } = prepare(h, 'knossos');
      expect(findWitness(p.calls, p.values.length, initial).steps).toBeUndefined();
      expect(checkLinearizable(h, { model: 'cas-register', init: 0 }).valid).toBe(false);
    }
    expect(tried).toBeGreaterThan(100);
  });

  it('may be missed when values repeat; the search then decides, with the same verdict', () => {
    let missed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const h = linearizableRegisterHistory({ seed, processes: 5, ops: 200, crashRate: 0.05, values: 3 });
      const { p, initial } = prepare(h, 'knossos');
      const w = findWitness(p.calls, p.values.length, initial).steps;
      if (w) expect(notALinearization(p.calls, w, initial)).toBeUndefined();
      else {
        missed++;
        const r = checkLinearizable(h, { model: 'cas-register', init: 0 });
        expect(r.valid).toBe(true);
        expect(r.configurations).toBeGreaterThan(0); // the search ran
      }
    }
    expect(missed).toBeGreaterThan(10);
  });

  it('pulls in a crashed write only where its value is needed, and leaves an unread one out', () => {
    const h = (lines: [Op['type'], number, string, unknown][]): Op[] => lines.map(([type, process, f, value], index) => ({ index, time: index, type, process, f, value }));
    const history = h([
      ['invoke', 0, 'write', 1],
      ['info', 0, 'write', 1],
      ['invoke', 1, 'write', 2],
      ['info', 1, 'write', 2],
      ['invoke', 2, 'read', null],
      ['ok', 2, 'read', 2],
    ]);
    const { p, initial } = prepare(history, 'knossos');
    const w = findWitness(p.calls, p.values.length, initial).steps!;
    expect(notALinearization(p.calls, w, initial)).toBeUndefined();
    expect([...w.calls]).toEqual([1, 2]); // the crashed write 2, then the read; the crashed write 1 never happened
  });
});
