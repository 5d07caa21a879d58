import { describe, expect, it } from 'vitest';
import { TxnHistory } from '../../bench/txn-histories.js';
import { HistoryError } from '../../harness/history/op.js';
import { checkListAppend } from './list-append.js';
import type { ElleOptions } from './analyze.js';

/** Transactions one after another, each on its own process unless given. */
function serial(...txns: (string | [number, string] | [number, string, 'ok' | 'fail' | 'info'])[]) {
  const h = new TxnHistory();
  txns.forEach((t, i) => (typeof t === 'string' ? h.txn(i, t) : h.txn(t[0], t[1], t[2])));
  return h.ops;
}

const check = (ops: ReturnType<typeof serial>, opts: ElleOptions = {}) => checkListAppend(ops, opts);
const types = (ops: ReturnType<typeof serial>, opts: ElleOptions = {}) => check(ops, opts).anomalyTypes;

describe('list-append: valid histories stay valid', () => {
  it('a serial history of appends and reads', () => {
    const r = check(serial('ax1', 'rx1 ax2', 'ay1 rx12', 'rx12 ry1', 'ax3 ry1 rx123'));
    expect(r.anomalyTypes).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.not).toEqual([]);
    expect(r.transactions).toBe(5);
    expect(r.keys).toBe(2);
  });

  it('concurrent transactions in either order', () => {
    // T1 and T2 overlap; T2's append lands first, and that is fine.
    const h = new TxnHistory().invoke(0, 'ax1').invoke(1, 'ax2').complete(1, 'ok').complete(0, 'ok').txn(2, 'rx21');
    expect(check(h.ops).valid).toBe(true);
  });

  it('a failed append nobody read, and an indeterminate one that did happen', () => {
    const r = check(serial('ax1', [1, 'ax2', 'fail'], [2, 'ax3', 'info'], 'rx13'));
    expect(r.valid).toBe(true);
    expect(r.failed).toBe(1);
    expect(r.indeterminate).toBe(1);
  });

  it('keys keep their JSON type: the number 1 and the string "1" are two keys', () => {
    const ops = serial('ax1', 'rx1');
    (ops[0]!.value as unknown[][])[0]![1] = 1;
    (ops[1]!.value as unknown[][])[0]![1] = 1;
    (ops[2]!.value as unknown[][])[0]![1] = '1';
    (ops[3]!.value as unknown[][])[0]![1] = '1';
    // Key "1" was read as [1] but nothing was appended to it.
    expect(types(ops)).toEqual(['garbage-read']);
  });
});

describe('list-append: nothing to check is unknown, whatever the models', () => {
  it.each([
    ['appends nobody read', ['ax1', 'ay1']],
    ['appends to one key, never read', ['ax1', 'ax2']],
    ['reads of empty lists only', ['rx', 'ry']],
  ])('%s', (_what, txns) => {
    // Serial transactions are ordered in real time, but order edges alone cannot make a cycle.
    for (const opts of [{}, { consistencyModels: ['serializable'] }] satisfies ElleOptions[]) {
      const r = check(serial(...txns), opts);
      expect(r.valid).toBe('unknown');
      expect(r.anomalyTypes).toEqual(['empty-transaction-graph']);
    }
  });
});

describe('list-append: each anomaly is found and named', () => {
  it('G0: write cycle', () => {
    const r = check(serial('ax1 ay1', 'ax2 ay2', 'rx12 ry21'));
    expect(r.anomalyTypes).toEqual(['G0']);
    expect(r.not).toEqual(['read-uncommitted']);
    expect(r.alsoNot).toContain('serializable');
    const g0 = r.anomalies[0]!;
    expect(g0.type === 'G0' && g0.steps.map((s) => s.rel)).toEqual(['ww', 'ww']);
    expect(g0.explanation).toMatch(/T2 appended 2 to x right after T1's append of 1/);
    expect(g0.explanation).toMatch(/However, T2 < T1, because T1 appended 1 to y right after T2's append of 2: a contradiction!/);
  });

  it('G1a: aborted read', () => {
    const r = check(serial([0, 'ax1', 'fail'], 'rx1', 'ax2', 'rx12'));
    expect(r.anomalyTypes).toContain('G1a');
    expect(r.not).toEqual(['read-committed']);
    expect(r.anomalies.find((a) => a.type === 'G1a')!.explanation).toMatch(/T2 read x = \[1\], which includes 1, appended by T1, which failed/);
  });

  it('G1b: intermediate read', () => {
    const r = check(serial('ax1 ax2', 'rx1'));
    expect(r.anomalyTypes).toContain('G1b');
    expect(r.anomalyTypes).toContain('G-single-item');
  });

  it('G1c: circular information flow', () => {
    const r = check(serial('ax1 ry1', 'ax2 ay1', 'rx12'));
    expect(r.anomalyTypes).toEqual(['G1c']);
    expect(r.not).toEqual(['read-committed']);
    expect(r.anomalies[0]!.explanation).toMatch(/T\d read y = \[1\], which includes T\d's append of 1/);
  });

  it('G-single-item: read skew', () => {
    const r = check(serial('ax1 ay1', 'ax2 ry', 'rx12'));
    expect(r.anomalyTypes).toEqual(['G-single-item']);
    expect(r.not).toEqual(['repeatable-read', 'consistent-view']);
    expect(r.alsoNot).toContain('snapshot-isolation');
    expect(r.anomalies[0]!.explanation).toMatch(/read y = \[\] and did not see T\d's append of 1/);
  });

  it('G2-item: write skew', () => {
    // Each reads the other's key empty, then appends to its own.
    const h = new TxnHistory().invoke(0, 'rx ay1').invoke(1, 'ry ax1').complete(0, 'ok', 'rx ay1').complete(1, 'ok', 'ry ax1').txn(2, 'rx1 ry1');
    const r = check(h.ops);
    expect(r.anomalyTypes).toEqual(['G2-item']);
    expect(r.not).toEqual(['repeatable-read']);
    expect(r.alsoNot).toContain('serializable');
    expect(r.alsoNot).not.toContain('snapshot-isolation');
    // Snapshot isolation allows it.
    expect(check(h.ops, { consistencyModels: ['snapshot-isolation'] }).valid).toBe(true);
  });

  it('G-nonadjacent-item: two rw edges with a wr between', () => {
    // T1 -rw-> T2 (T1 misses T2's y), T2 -wr-> T3 (z), T3 -rw-> T4 (T3 misses T4's w), T4 -wr-> T1 (v).
    const h = new TxnHistory();
    for (const [p, s] of [[0, 'ry rv1'], [1, 'ay1 az1'], [2, 'rz1 rw'], [3, 'aw1 av1']] as const) h.invoke(p, s.replace(/r(\w)\d*/g, 'r$1'));
    h.complete(3, 'ok', 'aw1 av1').complete(1, 'ok', 'ay1 az1').complete(2, 'ok', 'rz1 rw').complete(0, 'ok', 'ry rv1');
    h.txn(4, 'ry1 rz1 rw1 rv1');
    const r = check(h.ops, { consistencyModels: ['serializable'] });
    expect(r.anomalyTypes).toEqual(['G-nonadjacent-item']);
    // It is also a G2-item cycle, which repeatable read forbids.
    expect(r.not).toEqual(['snapshot-isolation', 'repeatable-read']);
  });

  it('lost update: two read the same state and both append', () => {
    const h = new TxnHistory().invoke(0, 'rx ax1').invoke(1, 'rx ax2').complete(0, 'ok', 'rx ax1').complete(1, 'ok', 'rx ax2').txn(2, 'rx12');
    const r = check(h.ops);
    expect(r.anomalyTypes).toContain('lost-update');
    expect(r.anomalies.find((a) => a.type === 'lost-update')!.explanation).toMatch(/T1 and T2 each read x = \[\] and then appended to it/);
  });

  it('internal: a read that does not show the transaction own append', () => {
    expect(types(serial('ax1', 'rx1 ax2 rx1'))).toContain('internal');
  });

  it('future read: a read of an element the transaction appends only later', () => {
    expect(types(serial('rx1 ax1'))).toContain('future-read');
  });

  it('duplicate elements', () => {
    const r = check(serial('ax1', 'ax2', 'rx11', 'rx112'));
    expect(r.anomalyTypes).toEqual(['duplicate-elements']);
    expect(r.anomalyCounts['duplicate-elements']).toBe(2);
    expect(r.anomalies[0]!.explanation).toMatch(/read x = \[1 1 2\], in which 1 appears more than once/);
    expect(r.not).toEqual(['read-uncommitted']);
  });

  it('incompatible order', () => {
    const r = check(serial('ax1', 'ax2', 'ax3', 'rx12', 'rx13'));
    expect(r.anomalyTypes).toContain('incompatible-order');
    expect(r.anomalies.find((a) => a.type === 'incompatible-order')!.explanation).toMatch(/differ at position 2, 3 against 2/);
  });

  it('dirty update: a committed append on top of a failed one', () => {
    expect(types(serial([0, 'ax1', 'fail'], 'ax2', 'rx12'))).toContain('dirty-update');
  });

  it('garbage read: an element nobody appended', () => {
    expect(types(serial('ax1', 'rx19'))).toContain('garbage-read');
  });

  it('lost acknowledged append: a read begun after the append committed misses it', () => {
    const r = check(serial('ax1', 'ax2', 'rx1'));
    expect(r.anomalyTypes).toEqual(['G-single-item-realtime']);
    expect(r.not).toEqual(['strong-snapshot-isolation']);
    expect(r.alsoNot).toEqual(['strict-serializable']);
    const lost = r.anomalies[0]!;
    expect(lost.explanation).toMatch(/lost acknowledged append: T1's append of 2 to x had committed before T2 began, yet T2 did not see it/);
    // Serializable alone allows it (T3 may be ordered before T2).
    expect(check(serial('ax1', 'ax2', 'rx1'), { consistencyModels: ['serializable'] }).valid).toBe(true);
  });

  it('G0-process and G1c-process: cycles through one process', () => {
    // Process 0 appends 1 then 2 to x, but the order is 2, 1.
    const r = check(serial([0, 'ax1'], [0, 'ax2'], [1, 'rx21']));
    expect(r.anomalyTypes).toContain('G0-process');
    const s = check(serial([0, 'ax1'], [0, 'ax2'], [1, 'rx21']), { consistencyModels: ['serializable'] });
    expect(s.valid).toBe(true);
  });

  it('G-single-item-process: a process does not see its own earlier append', () => {
    const r = check(serial([0, 'ax1'], [0, 'rx']));
    expect(r.anomalyTypes).toEqual(['G-single-item-process']);
    expect(r.not).toEqual(['strong-session-snapshot-isolation']);
  });

  it('G1c-process: a process reads an append its own later transaction makes', () => {
    const r = check(serial([0, 'ry1'], [0, 'ay1']));
    expect(r.anomalyTypes).toEqual(['G1c-process']);
    expect(r.not).toEqual(['strong-session-read-committed']);
    expect(r.anomalies[0]!.explanation).toContain('process 0 ran T1 before T2');
  });

  it('rejects a malformed transaction and a duplicate append with a HistoryError', () => {
    const bad = serial('ax1');
    bad[1]!.value = [['append', 'x']];
    expect(() => check(bad)).toThrow(HistoryError);
    expect(() => check(serial('ax1', 'ax1'))).toThrow(/appended to key x twice/);
    const w = serial('ax1');
    w[1]!.value = [['w', 'x', 1]];
    expect(() => check(w)).toThrow(/unknown micro-op "w"/);
  });
});
