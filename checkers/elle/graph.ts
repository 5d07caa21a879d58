/**
 * The transaction dependency graph: integer vertices (transaction ids),
 * edges of one relation each, stored as typed arrays in compressed sparse
 * row form. Two transactions may be joined by several edges (a ww and an rw
 * edge on different keys, say); the cycle search treats them as alternatives.
 */

/** Why one transaction precedes another. */
export type Rel = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';

/** Relations by their small-integer kind, the order used in edge arrays and masks (bit = 1 << kind). */
export const RELS: readonly Rel[] = ['ww', 'wr', 'rw', 'process', 'realtime'];
export const KIND: Readonly<Record<Rel, number>> = { ww: 0, wr: 1, rw: 2, process: 3, realtime: 4 };

/** A set of relations as a bit mask. */
export function relMask(...rels: Rel[]): number {
  let m = 0;
  for (const r of rels) m |= 1 << KIND[r];
  return m;
}

/** Edges as they are discovered, before the graph is frozen. */
export class EdgeList {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  kind = new Uint8Array(1024);
  length = 0;

  add(from: number, to: number, rel: Rel): void {
    if (from === to) return; // a transaction never precedes itself in these relations
    if (this.length === this.from.length) this.grow();
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.kind[this.length] = KIND[rel];
    this.length++;
  }

  private grow(): void {
    const n = this.from.length * 2;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    const kind = new Uint8Array(n);
    from.set(this.from);
    to.set(this.to);
    kind.set(this.kind);
    this.from = from;
    this.to = to;
    this.kind = kind;
  }
}

export interface Graph {
  /** Vertices are 0 .. n-1. */
  readonly n: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly kind: Uint8Array;
  /** Out-edges of v are outEdge[outStart[v] .. outStart[v+1]). */
  readonly outStart: Int32Array;
  readonly outEdge: Int32Array;
}

export function freezeGraph(n: number, edges: EdgeList): Graph {
  const m = edges.length;
  const from = edges.from.slice(0, m);
  const to = edges.to.slice(0, m);
  const kind = edges.kind.slice(0, m);
  const outStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) outStart[from[e]! + 1]!++;
  for (let v = 0; v < n; v++) outStart[v + 1]! += outStart[v]!;
  const fill = outStart.slice(0, n);
  const outEdge = new Int32Array(m);
  for (let e = 0; e < m; e++) outEdge[fill[from[e]!]!++] = e;
  return { n, from, to, kind, outStart, outEdge };
}

/** How many edges of each relation. */
export function edgeCounts(g: Graph): Record<Rel, number> {
  const byKind = [0, 0, 0, 0, 0];
  for (let e = 0; e < g.kind.length; e++) byKind[g.kind[e]!]!++;
  return { ww: byKind[0]!, wr: byKind[1]!, rw: byKind[2]!, process: byKind[3]!, realtime: byKind[4]! };
}
