import { describe, expect, it } from 'vitest';
import { parseOp } from './ops.js';
import { KvStateMachine } from './state-machine.js';

const cmd = (client: string, seq: number, f: string, value: unknown) => ({ client, seq, op: parseOp(f, value) });

describe('KvStateMachine', () => {
  it('applies a retried command at most once and returns its first result', () => {
    const sm = new KvStateMachine();
    expect(sm.apply(cmd('c1', 1, 'txn', [['append', 'x', 1]]))).toEqual({ type: 'ok', value: [['append', 'x', 1]] });
    sm.apply(cmd('c1', 1, 'txn', [['append', 'x', 1]]));
    expect(sm.read(parseOp('txn', [['r', 'x', null]]))).toEqual({ type: 'ok', value: [['r', 'x', [1]]] });
  });

  it('fails a cas whose comparison fails, and leaves the value', () => {
    const sm = new KvStateMachine();
    sm.apply(cmd('c', 1, 'write', ['k', 1]));
    expect(sm.apply(cmd('c', 2, 'cas', ['k', [2, 3]])).type).toBe('fail');
    expect(sm.apply(cmd('c', 3, 'cas', ['k', [1, 3]])).type).toBe('ok');
    expect(sm.read(parseOp('read', ['k', null]))).toEqual({ type: 'ok', value: 3 });
  });

  it('applies a txn atomically: a micro-op on a non-list key fails the whole txn', () => {
    const sm = new KvStateMachine();
    sm.apply(cmd('c', 1, 'write', ['reg', 5]));
    expect(sm.apply(cmd('c', 2, 'txn', [['append', 'l', 1], ['append', 'reg', 2]])).type).toBe('fail');
    expect(sm.read(parseOp('txn', [['r', 'l', null]]))).toEqual({ type: 'ok', value: [['r', 'l', null]] });
  });

  it('reads its own appends within a txn and survives a snapshot round trip', () => {
    const sm = new KvStateMachine();
    expect(sm.apply(cmd('c', 1, 'txn', [['append', 'l', 1], ['r', 'l', null]]))).toEqual({ type: 'ok', value: [['append', 'l', 1], ['r', 'l', [1]]] });
    const copy = new KvStateMachine();
    copy.restore(sm.snapshot());
    expect(copy.apply(cmd('c', 1, 'txn', [['append', 'l', 1]]))).toEqual({ type: 'ok', value: [['append', 'l', 1], ['r', 'l', [1]]] });
    expect(copy.read(parseOp('txn', [['r', 'l', null]]))).toEqual({ type: 'ok', value: [['r', 'l', [1]]] });
  });

  it('rejects malformed requests', () => {
    expect(() => parseOp('cas', ['k', 1])).toThrow(TypeError);
    expect(() => parseOp('txn', [['inc', 'k', 1]])).toThrow(TypeError);
  });
});
