import { describe, expect, it } from 'vitest';
import { TxnHistory } from '../../bench/txn-histories.js';
import { HistoryError } from '../../harness/history/op.js';
import { checkRwRegister, type RwRegisterOptions } from './rw-register.js';

function serial(...txns: (string | [number, string] | [number, string, 'ok' | 'fail' | 'info'])[]) {
  const h = new TxnHistory(true);
  txns.forEach((t, i) => (typeof t === 'string' ? h.txn(i, t) : h.txn(t[0], t[1], t[2])));
  return h.ops;
}
const check = (ops: ReturnType<typeof serial>, opts: RwRegisterOptions = {}) => checkRwRegister(ops, opts);

describe('rw-register: valid histories stay valid', () => {
  it('a serial history', () => {
    const r = check(serial('rx wx1', 'rx1 wx2 wy1', 'rx2 ry1', 'ry1 wy2 rx2'));
    expect(r.anomalyTypes).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.keys).toBe(2);
  });

  it('blind writes in either order, with real-time order used per key', () => {
    const h = new TxnHistory(true).invoke(0, 'wx1').invoke(1, 'wx2').complete(1, 'ok').complete(0, 'ok').txn(2, 'rx1');
    expect(check(h.ops, { linearizableKeys: true }).valid).toBe(true);
  });
});

describe('rw-register: what it cannot check', () => {
  it('blind writes nobody read are unknown, not valid, even in real-time order', () => {
    const r = check(serial('wx1', 'wx2'));
    expect(r.valid).toBe('unknown');
    expect(r.anomalyTypes).toEqual(['empty-transaction-graph']);
  });

  it('refuses a value written twice, by two transactions or by one', () => {
    expect(() => check(serial('wx1', 'wx1'))).toThrow(HistoryError);
    expect(() => check(serial('wx1 wx1', 'rx1'))).toThrow(/written to key x twice in one transaction/);
  });
});

describe('rw-register: each anomaly is found and named', () => {
  it('G1a: a read of a failed write', () => {
    const r = check(serial([0, 'wx1', 'fail'], 'rx1'));
    expect(r.anomalyTypes).toContain('G1a');
    expect(r.not).toEqual(['read-committed']);
  });

  it('G1b: a read of an overwritten write', () => {
    expect(check(serial('wx1 wx2', 'rx1')).anomalyTypes).toContain('G1b');
  });

  it('G1c: circular information flow through wr and ww', () => {
    // T1 reads T2's y; T2 read x = 1 (T1's) before writing... : wr both ways.
    const h = new TxnHistory(true).invoke(0, 'wx1 ry').invoke(1, 'rx wy1').complete(0, 'ok', 'wx1 ry1').complete(1, 'ok', 'rx1 wy1');
    const r = check(h.ops);
    expect(r.anomalyTypes).toEqual(['G1c']);
    expect(r.anomalies[0]!.explanation).toMatch(/read y = 1, which T\d wrote/);
  });

  it('G-single-item: read skew, the version order from the initial state', () => {
    // T2 reads x = 1 (T1's) but y = nil, though T1 wrote y too.
    const r = check(serial('wx1 wy1', 'rx1 ry'), { consistencyModels: ['serializable'] });
    expect(r.anomalyTypes).toEqual(['G-single-item']);
    expect(r.anomalies[0]!.explanation).toMatch(/read y = nil, and T\d wrote y = 1, which comes after it in y's version order \(nil is the initial state\)/);
  });

  it('G2-item: write skew', () => {
    const h = new TxnHistory(true).invoke(0, 'rx wy1').invoke(1, 'ry wx1').complete(0, 'ok', 'rx wy1').complete(1, 'ok', 'ry wx1');
    const r = check(h.ops);
    expect(r.anomalyTypes).toEqual(['G2-item']);
    expect(check(h.ops, { consistencyModels: ['snapshot-isolation'] }).valid).toBe(true);
  });

  it('G0 from each transaction own order', () => {
    // T1 and T2 overlap, and each reads a key before writing it: a transaction's own order says the version it read precedes the one it wrote.
    const h = new TxnHistory(true).invoke(0, 'rx wx1 ry wy1').invoke(1, 'rx wx2 ry wy2');
    h.complete(0, 'ok', 'rx2 wx1 ry wy1').complete(1, 'ok', 'rx wx2 ry1 wy2');
    // x: 2 < 1 (T1 read 2 then wrote 1), y: 1 < 2 (T2 read 1 then wrote 2): T2 -ww-> T1 on x, T1 -ww-> T2 on y.
    expect(check(h.ops).anomalyTypes).toContain('G0');
  });

  it('internal, future read, lost update and garbage read', () => {
    expect(check(serial('wx1', 'wx2 rx1')).anomalyTypes).toContain('internal');
    expect(check(serial('rx5 wx5')).anomalyTypes).toContain('future-read');
    const lu = new TxnHistory(true).invoke(0, 'rx wx1').invoke(1, 'rx wx2').complete(0, 'ok', 'rx wx1').complete(1, 'ok', 'rx wx2');
    expect(check(lu.ops).anomalyTypes).toContain('lost-update');
    expect(check(serial('wx1', 'rx7')).anomalyTypes).toContain('garbage-read');
  });

  it('G-single-item-realtime: a read of nil begun after the write committed', () => {
    const r = check(serial('wx1', 'rx'));
    expect(r.anomalyTypes).toEqual(['G-single-item-realtime']);
    expect(r.anomalies[0]!.explanation).toMatch(/T1 completed at op 1 .* before T2 began at op 2/);
  });

  it('a stale read: invisible without a version order, cyclic versions when keys are assumed linearizable', () => {
    // T3 reads x = 1 after T2 wrote x = 2 and completed; nothing orders versions 1 and 2...
    const ops = serial('wx1', 'wx2', 'rx1');
    expect(check(ops).valid).toBe(true);
    // ...unless real-time order per key does: 1 < 2 (T1 before T2) and 2 < 1 (T2 before T3).
    const r = check(ops, { linearizableKeys: true });
    expect(r.anomalyTypes).toEqual(['cyclic-versions']);
    expect(r.anomalies[0]!.explanation).toMatch(/With the real-time order added, the versions of x would be ordered in a cycle/);
  });

  it('cyclic versions: a source that contradicts the others is reported and left out', () => {
    // Own order says 1 < 2 (T3 read 1 then wrote 2); process order says 2 < 1 (process 0 saw 2, then 1).
    const ops = serial([0, 'wx2'], [1, 'wx1'], [2, 'rx1 wx3'], [0, 'rx1']);
    const plain = check(ops, { sequentialKeys: true, consistencyModels: ['serializable'] });
    expect(plain.anomalyTypes).toEqual([]);
    const c = check(serial([0, 'rx wx1'], [1, 'rx1 wx2'], [0, 'rx2 wx3'], [2, 'rx3'], [0, 'rx1']), { sequentialKeys: true, consistencyModels: ['serializable'] });
    expect(c.anomalyTypes).toEqual(['cyclic-versions']);
    expect(c.not).toEqual(['read-uncommitted']);
  });
});
