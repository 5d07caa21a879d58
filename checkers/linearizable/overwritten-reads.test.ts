import { describe, expect, it } from 'vitest';
import { injectStaleRead, linearizableRegisterHistory } from '../../bench/register-histories.js';
import { prepareCalls } from './calls.js';
import { createModel } from './models/index.js';
import { findOverwrittenRead } from './overwritten-reads.js';

describe('the overwritten-read rule through an index by value', () => {
  it('finds the same read, overwrite and last write as the pairwise loop (600 histories, stale or not)', () => {
    const keyed = createModel('cas-register', 'knossos');
    const pairwise = { ...keyed, readPruning: { ...keyed.readPruning!, keys: undefined } };
    let found = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const values = seed % 3 === 0 ? 4 : 'unique';
      const h = linearizableRegisterHistory({ seed, processes: 2 + (seed % 9), ops: 40 + (seed % 60), crashRate: 0.1, values });
      for (const history of [h, h.map((o) => ({ ...o }))]) {
        if (history !== h) injectStaleRead(history, seed);
        const { calls } = prepareCalls(history, keyed, 'knossos');
        const a = findOverwrittenRead(calls, keyed, 0);
        expect(a).toEqual(findOverwrittenRead(calls, pairwise, 0));
        if (a) found++;
      }
    }
    expect(found).toBeGreaterThan(150);
  });
});
