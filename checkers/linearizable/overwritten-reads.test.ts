import { describe, expect, it } from 'vitest';
import { injectStaleRead, linearizableRegisterHistory } from '../../bench/register-histories.js';
import { createModel, registerOptions } from './models/index.js';
import { findOverwrittenRead, overwrittenRead, type OverwrittenRead } from './overwritten-reads.js';
import { ANY, CAS, FAILED, OK, READ, WRITE, prepareRegister, valueId, type RegisterCalls } from './register-calls.js';
import { NEVER } from './search.js';

/** The rule as stated in overwritten-reads.ts, for read r, pair by pair: the reference for both versions. */
function pairwise(calls: RegisterCalls, initial: number, r: number): OverwrittenRead | undefined {
  const { kind, outcome, a, b, invokeAt, returnAt } = calls;
  const sets = (i: number) => (kind[i] === WRITE ? a[i]! : kind[i] === CAS && outcome[i] !== FAILED ? b[i]! : -1);
  // The value a completed call leaves the register holding: set or read.
  const shows = (i: number) => (outcome[i] !== OK ? -1 : kind[i] === READ ? a[i]! : sets(i));
  if (kind[r] !== READ || outcome[r] !== OK || a[r] === ANY) return undefined;
  let lastWrite: number | undefined;
  let lastWriteEnd = -1;
  for (let e = 0; e < kind.length; e++) {
    if (sets(e) !== a[r] || invokeAt[e]! >= returnAt[r]!) continue;
    if (returnAt[e]! > lastWriteEnd) {
      lastWriteEnd = returnAt[e]!;
      lastWrite = e;
    }
  }
  if (lastWriteEnd === NEVER) return undefined;
  if (lastWrite === undefined && initial !== a[r]) return { read: r };
  let overwrite: number | undefined;
  for (let w = 0; w < kind.length; w++) {
    if (shows(w) < 0 || shows(w) === a[r] || returnAt[w]! >= invokeAt[r]! || invokeAt[w]! <= lastWriteEnd) continue;
    if (overwrite === undefined || invokeAt[w]! > invokeAt[overwrite]!) overwrite = w;
  }
  if (overwrite !== undefined) return lastWrite === undefined ? { read: r, overwrite } : { read: r, overwrite, lastWrite };
  return undefined;
}

function firstPairwise(calls: RegisterCalls, initial: number): OverwrittenRead | undefined {
  for (let r = 0; r < calls.kind.length; r++) {
    const found = pairwise(calls, initial, r);
    if (found) return found;
  }
  return undefined;
}

describe('the overwritten-read rule through an index by value', () => {
  // Reads of another value overwrite too (a read of nil under Knossos tells nothing: ANY < 0).
  it('finds the same read, overwrite and last write as the pairwise loop, and so does the rule for one read (600 histories, stale or not)', () => {
    const model = createModel('cas-register', 'knossos');
    let found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const values = seed % 3 === 0 ? 4 : 'unique';
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 9), ops: 40 + (seed % 60), crashRate: 0.1, values });
      for (const history of [h, h.map((o) => ({ ...o }))]) {
        if (history !== h) injectStaleRead(history, seed);
        const p = prepareRegister(history, model, 'knossos', registerOptions('cas-register', 'knossos')!);
        const initial = valueId(p, 0);
        const a = findOverwrittenRead(p.calls, p.values.length, initial);
        expect(a).toEqual(firstPairwise(p.calls, initial));
        if (a) found++;
        for (let r = 0; r < p.calls.kind.length; r++) expect(overwrittenRead(p.calls, initial, r)).toEqual(pairwise(p.calls, initial, r));
      }
    }
    expect(found).toBeGreaterThan(150);
  });
});
