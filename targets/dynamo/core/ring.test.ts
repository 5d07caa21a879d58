import { describe, expect, it } from 'vitest';
import { blockingRepairTarget, readPlan, writePlan } from './plan.js';
import { Ring } from './ring.js';

describe('ring', () => {
  const ring = new Ring(['n1', 'n2', 'n3', 'n4', 'n5'], 16);

  it('gives every range a preference list of every node once, the same on every node', () => {
    expect(ring.rangeCount).toBe(80);
    for (let r = 0; r < ring.rangeCount; r++) expect([...ring.preferenceList(r)].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const again = new Ring(['n5', 'n4', 'n3', 'n2', 'n1'], 16);
    for (const key of ['0', '1', '"x"', '42']) expect(again.preferenceList(again.rangeOf(key))).toEqual(ring.preferenceList(ring.rangeOf(key)));
  });

  it('spreads keys over every node as a home', () => {
    const homes = new Map<string, number>();
    for (let k = 0; k < 1000; k++) for (const h of ring.homes(ring.rangeOf(String(k)), 3)) homes.set(h, (homes.get(h) ?? 0) + 1);
    for (const n of ['n1', 'n2', 'n3', 'n4', 'n5']) expect(homes.get(n)).toBeGreaterThan(300);
  });
});

describe('quorum plans', () => {
  const list = ['a', 'b', 'c', 'd', 'e'];
  const up = (downs: string[]) => (n: string) => !downs.includes(n);

  it('strict: the homes that are up, or unavailable below the quorum', () => {
    const q = { n: 3, w: 2, r: 2, sloppy: false };
    expect(writePlan(list, q, up(['b']))).toEqual({ targets: [{ node: 'a' }, { node: 'c' }] });
    expect(writePlan(list, q, up(['b', 'c']))).toEqual({ unavailable: 'unavailable: 1 of the 3 replicas up, W=2 needed' });
    expect(readPlan(list, { ...q, r: 1 }, up(['b', 'c']))).toEqual({ targets: [{ node: 'a' }] });
  });

  it('sloppy: the first N up, fallbacks hinted with the homes they stand in for', () => {
    const q = { n: 3, w: 2, r: 2, sloppy: true };
    expect(writePlan(list, q, up(['b', 'c']))).toEqual({ targets: [{ node: 'a' }, { node: 'd', hintFor: 'b' }, { node: 'e', hintFor: 'c' }] });
    expect(writePlan(list, q, up(['a', 'b', 'c', 'd']))).toEqual({ unavailable: 'unavailable: 1 nodes of the preference list up, W=2 needed' });
  });

  it('blocks reads for repair only when strict quorums overlap', () => {
    expect(blockingRepairTarget({ n: 3, w: 2, r: 2, sloppy: false })).toBe(2);
    expect(blockingRepairTarget({ n: 3, w: 3, r: 1, sloppy: false })).toBe(3);
    expect(blockingRepairTarget({ n: 3, w: 1, r: 1, sloppy: false })).toBeUndefined();
    expect(blockingRepairTarget({ n: 3, w: 2, r: 2, sloppy: true })).toBeUndefined();
  });
});
