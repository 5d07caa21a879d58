import { describe, expect, it } from 'vitest';
import type { Grudge } from '../harness/provision/types.js';
import { talks, toObject, viewOf } from './grudge.js';
import { seededRng } from './rng.js';
import { selectTargets } from './targets.js';
import { bridge, halves, majoritiesRing, majority as majorityTopology, minorityThird, one, primaries, topologiesFor } from './topologies.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const majority = (n: number) => Math.floor(n / 2) + 1;
const sizes = [3, 4, 5, 6, 7, 9];
const seeds = [1, 2, 3, 42, 1234];

/** The groups of nodes that all talk to each other and to no one else (for grudges built from disjoint components). */
function components(g: Grudge, nodes: string[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const n of nodes) {
    if (seen.has(n)) continue;
    const c = [...viewOf(g, nodes, n)].sort();
    c.forEach((m) => seen.add(m));
    out.push(c);
  }
  return out;
}

describe('partition topologies', () => {
  it('one isolates exactly one node from all others', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        const g = one(nodes, seededRng(seed));
        const cs = components(g, nodes).map((c) => c.length).sort((a, b) => a - b);
        expect(cs).toEqual([1, n - 1]);
      }
  });

  it('majority gives a majority and a minority that cannot talk; halves splits in floor(n/2) and ceil(n/2)', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        for (const [g, minority] of [
          [majorityTopology(nodes, seededRng(seed)), Math.ceil(n / 2) - 1],
          [halves(nodes, seededRng(seed)), Math.floor(n / 2)],
        ] as const) {
          const cs = components(g, nodes);
          expect(cs).toHaveLength(2);
          const [small, big] = cs.sort((a, b) => a.length - b.length) as [string[], string[]];
          expect(small.length).toBe(minority);
          expect(big.length).toBe(n - minority);
          if (minority < n / 2) expect(big.length).toBeGreaterThanOrEqual(majority(n));
          for (const a of small) for (const b of big) expect(talks(g, a, b)).toBe(false);
        }
      }
  });

  it('majorities-ring: every node sees a majority, no two nodes see the same set, and someone is cut off', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        const g = majoritiesRing(nodes, seededRng(seed));
        const views = nodes.map((x) => [...viewOf(g, nodes, x)].sort().join(','));
        for (const x of nodes) expect(viewOf(g, nodes, x).size).toBeGreaterThanOrEqual(majority(n));
        if (n > 3) expect(new Set(views).size).toBe(n);
        expect(views.some((v) => v.split(',').length < n)).toBe(true);
        // Symmetric: a drop in one direction is a drop in both.
        for (const [a, drops] of g) for (const b of drops) expect(g.get(b)?.has(a)).toBe(true);
      }
  });

  it('bridge: two sides that cannot talk, joined by one node that talks to both', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        const g = bridge(nodes, seededRng(seed));
        const middles = nodes.filter((x) => viewOf(g, nodes, x).size === n);
        expect(middles).toHaveLength(1);
        const rest = nodes.filter((x) => x !== middles[0]);
        const sideOf = (x: string) => [...viewOf(g, nodes, x)].filter((y) => y !== middles[0]).sort().join(',');
        expect(new Set(rest.map(sideOf)).size).toBe(2);
      }
  });

  it('minority-third isolates a third (at least one node) from the rest', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        const cs = components(minorityThird(nodes, seededRng(seed)), nodes).map((c) => c.length).sort((a, b) => a - b);
        const k = Math.max(1, Math.floor((n - 1) / 3));
        expect(cs).toEqual([k, n - k].sort((a, b) => a - b));
      }
  });

  it('primaries isolates the named leader', () => {
    const nodes = names(5);
    const g = primaries(nodes, 'n3');
    expect(toObject(g)).toEqual({ n1: ['n3'], n2: ['n3'], n3: ['n1', 'n2', 'n4', 'n5'], n4: ['n3'], n5: ['n3'] });
    expect(() => primaries(nodes, 'n9')).toThrow(/not one of the nodes/);
  });

  it('is reproducible from the seed', () => {
    const nodes = names(5);
    expect(toObject(halves(nodes, seededRng(7)))).toEqual(toObject(halves(nodes, seededRng(7))));
  });

  it('offers only the topologies a cluster size allows', () => {
    expect(topologiesFor(2)).not.toContain('majorities-ring');
    expect(topologiesFor(3)).toContain('bridge');
    expect(() => bridge(names(2), seededRng(1))).toThrow(/at least 3 nodes/);
  });
});

describe('fault targets', () => {
  it('one, minority, majority and all have the sizes their names say', () => {
    for (const n of sizes)
      for (const seed of seeds) {
        const nodes = names(n);
        const rng = seededRng(seed);
        expect(selectTargets('one', nodes, rng)).toHaveLength(1);
        const min = selectTargets('minority', nodes, rng).length;
        expect(min).toBeGreaterThanOrEqual(1);
        expect(min).toBeLessThan(majority(n));
        const maj = selectTargets('majority', nodes, rng).length;
        expect(maj).toBeGreaterThanOrEqual(majority(n));
        expect(maj).toBeLessThan(n);
        expect(selectTargets('all', nodes, rng)).toEqual([...nodes].sort());
      }
  });
});
