import { describe, expect, it } from 'vitest';
import { CYCLE_ANOMALIES, type CycleAnomaly } from './anomalies.js';
import { classifyCycle, CycleSearcher, cycleSpec, simpleCycles } from './cycle-search.js';
import { EdgeList, freezeGraph, type Rel } from './graph.js';
import { SccFinder } from './scc.js';

function graph(n: number, edges: [number, number, Rel][]) {
  const list = new EdgeList();
  for (const [a, b, r] of edges) list.add(a, b, r);
  return freezeGraph(n, list);
}

const ALL = CYCLE_ANOMALIES.map(cycleSpec);

function search(n: number, edges: [number, number, Rel][]): CycleAnomaly[] {
  const g = graph(n, edges);
  const out: CycleAnomaly[] = [];
  const searcher = new CycleSearcher(g);
  for (const c of new SccFinder(g).components(0b11111)) out.push(...searcher.searchComponent(c, ALL, () => false).cycles.map((x) => x.type));
  return out;
}

describe('strongly connected components', () => {
  it('finds nontrivial components only, restricted by relation', () => {
    const g = graph(5, [[0, 1, 'ww'], [1, 0, 'rw'], [1, 2, 'ww'], [2, 3, 'wr'], [3, 2, 'wr']]);
    const scc = new SccFinder(g);
    expect(scc.components(0b11111).map((c) => [...c])).toEqual([[2, 3], [0, 1]]);
    expect(scc.components(0b00001)).toEqual([]);
    expect(scc.components(0b11111, [0, 1, 4]).map((c) => [...c])).toEqual([[0, 1]]);
  });

  it('does not overflow on a 200,000-vertex cycle', () => {
    const n = 200_000;
    const g = graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n, 'ww'] as [number, number, Rel]));
    expect(new SccFinder(g).components(1)[0]!.length).toBe(n);
  });
});

describe('cycle search', () => {
  it('names each kind of cycle', () => {
    expect(search(2, [[0, 1, 'ww'], [1, 0, 'ww']])).toEqual(['G0']);
    expect(search(2, [[0, 1, 'ww'], [1, 0, 'wr']])).toEqual(['G1c']);
    expect(search(2, [[0, 1, 'wr'], [1, 0, 'rw']])).toEqual(['G-single-item']);
    expect(search(2, [[0, 1, 'rw'], [1, 0, 'rw']])).toEqual(['G2-item']);
    expect(search(4, [[0, 1, 'rw'], [1, 2, 'wr'], [2, 3, 'rw'], [3, 0, 'ww']])).toEqual(['G-nonadjacent-item']);
    expect(search(2, [[0, 1, 'ww'], [1, 0, 'process']])).toEqual(['G0-process']);
    expect(search(2, [[0, 1, 'wr'], [1, 0, 'process']])).toEqual(['G1c-process']);
    expect(search(2, [[0, 1, 'rw'], [1, 0, 'realtime']])).toEqual(['G-single-item-realtime']);
    expect(search(3, [[0, 1, 'rw'], [1, 2, 'process'], [2, 0, 'realtime']])).toEqual(['G-single-item-realtime']);
  });

  it('reports the most severe cycle and none it implies', () => {
    // A G0 cycle and, through the same vertices, a G1c one (implied by G0) and a G-single one (not implied).
    expect(search(3, [[0, 1, 'ww'], [1, 0, 'ww'], [1, 2, 'wr'], [2, 0, 'wr'], [0, 2, 'rw']])).toEqual(['G0', 'G-single-item']);
    // G1c and G-single-item both (neither implies the other).
    expect(search(3, [[0, 1, 'wr'], [1, 0, 'ww'], [1, 2, 'ww'], [2, 0, 'rw']]).sort()).toEqual(['G-single-item', 'G1c']);
  });

  it('finds a G-single cycle hidden behind shorter G2 ones', () => {
    // 0 -rw-> 1 -rw-> 0 is G2-item; 0 -rw-> 1 -ww-> 2 -ww-> 3 -wr-> 0 has one rw.
    expect(search(4, [[0, 1, 'rw'], [1, 0, 'rw'], [1, 2, 'ww'], [2, 3, 'ww'], [3, 0, 'wr']])).toEqual(['G-single-item']);
  });

  it('splits a closed walk into simple cycles and classifies them', () => {
    const g = graph(3, [[0, 1, 'ww'], [1, 0, 'ww'], [0, 2, 'rw'], [2, 0, 'wr']]);
    // Edges 0:0→1, 1:1→0, 2:0→2, 3:2→0: the walk 0→1→0→2→0.
    expect(simpleCycles(g, [0, 1, 2, 3])).toEqual([[0, 1], [2, 3]]);
    expect(classifyCycle(g, [0, 1])).toBe('G0');
    expect(classifyCycle(g, [2, 3])).toBe('G-single-item');
  });

  it('stops when told, reporting some cycle of the component and what it did not finish', () => {
    const g = graph(2, [[0, 1, 'rw'], [1, 0, 'rw']]);
    const r = new CycleSearcher(g).searchComponent(new Int32Array([0, 1]), ALL, () => true);
    expect(r.cycles.map((c) => c.type)).toEqual(['G2-item']);
    expect(r.unfinished[0]).toBe('G0');
  });
});
