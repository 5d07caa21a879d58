import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { checkLinearizable } from './index.js';

const h = (lines: [Op['type'], number, string, unknown][]): Op[] =>
  lines.map(([type, process, f, value], index) => ({ index, time: index, type, process, f, value }));

// The reductions serve the search: the quick witness (witness.ts) is turned off.
describe('crashed-call reductions', () => {
  it('leave out a crashed write whose value nothing needs', () => {
    const r = checkLinearizable(
      h([
        ['invoke', 0, 'write', 1],
        ['info', 0, 'write', 1],
        ['invoke', 1, 'write', 2],
        ['ok', 1, 'write', 2],
        ['invoke', 1, 'read', null],
        ['ok', 1, 'read', 2],
      ]),
      { model: 'cas-register', init: 0, witness: false },
    );
    expect(r).toMatchObject({ valid: true, droppedUnobserved: 1, requiredCrashed: 0 });
  });

  it('keep it when an etcd failed cas may follow it (that cas needs the state not to hold some value)', () => {
    // cas 0 -> 5 failed: the state was not 0 then, which only the crashed write 1 explains.
    const history = h([
      ['invoke', 0, 'write', 1],
      ['info', 0, 'write', 1],
      ['invoke', 1, 'cas', [0, 5]],
      ['fail', 1, 'cas', [0, 5]],
    ]);
    const r = checkLinearizable(history, { model: 'cas-register', init: 0, semantics: 'etcd', witness: false });
    expect(r).toMatchObject({ valid: true, droppedUnobserved: 0 });
  });

  it('search the only writer of a value a read returned as a completed call, and blame the read when it comes too late', () => {
    const valid = checkLinearizable(
      h([
        ['invoke', 0, 'write', 1],
        ['info', 0, 'write', 1],
        ['invoke', 1, 'read', null],
        ['ok', 1, 'read', 1],
      ]),
      { model: 'cas-register', init: 0, witness: false },
    );
    expect(valid).toMatchObject({ valid: true, requiredCrashed: 1 });
    // The read of 1 is overwritten by write 2 before it begins; the crashed write 1 must precede it.
    const invalid = checkLinearizable(
      h([
        ['invoke', 0, 'write', 1],
        ['info', 0, 'write', 1],
        ['invoke', 1, 'read', null],
        ['ok', 1, 'read', 1],
        ['invoke', 1, 'write', 2],
        ['ok', 1, 'write', 2],
        ['invoke', 2, 'read', null],
        ['ok', 2, 'read', 1],
      ]),
      { model: 'cas-register', init: 0, witness: false },
    );
    expect(invalid.valid).toBe(false);
    expect(invalid.counterexample!.op).toMatchObject({ index: 6, description: 'read -> 1' });
    expect(invalid.counterexample!.explanation).toMatch(/op 0: write 1, which crashed but, as the only way to the value op 2 needed, took effect before op 2 completed at op 3/);
  });

  it('never promote a writer of the initial value (the read may see the initial state)', () => {
    const r = checkLinearizable(
      h([
        ['invoke', 0, 'write', 0],
        ['info', 0, 'write', 0],
        ['invoke', 1, 'write', 3],
        ['ok', 1, 'write', 3],
        ['invoke', 1, 'read', null],
        ['ok', 1, 'read', 0],
      ]),
      { model: 'cas-register', init: 0, witness: false },
    );
    expect(r).toMatchObject({ valid: true, requiredCrashed: 0 });
  });
});
