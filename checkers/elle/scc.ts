/**
 * Strongly connected components (Tarjan's algorithm, iterative so deep
 * graphs cannot overflow the stack) of a graph restricted to a set of
 * relations and, optionally, to a subset of its vertices. Only components
 * of two or more vertices are returned: the graph has no self-edges, so a
 * single vertex lies on no cycle.
 */
import type { Graph } from './graph.js';

export class SccFinder {
  private readonly order: Int32Array;
  private readonly low: Int32Array;
  private readonly onStack: Uint8Array;
  private readonly stack: Int32Array;
  private readonly callVertex: Int32Array;
  private readonly callEdge: Int32Array;
  /** member[v] === memberStamp marks the vertices of the current call. */
  private readonly member: Int32Array;
  private memberStamp = 0;

  constructor(private readonly g: Graph) {
    const n = g.n;
    this.order = new Int32Array(n).fill(-1);
    this.low = new Int32Array(n);
    this.onStack = new Uint8Array(n);
    this.stack = new Int32Array(n);
    this.callVertex = new Int32Array(n);
    this.callEdge = new Int32Array(n);
    this.member = new Int32Array(n);
  }

  /**
   * Components of the subgraph of edges whose relation is in `mask`, among
   * `vertices` (all of them when omitted). Each component's vertices are
   * sorted ascending.
   */
  components(mask: number, vertices?: ArrayLike<number>): Int32Array[] {
    const out: Int32Array[] = [];
    this.run(mask, vertices, (members) => {
      if (members.length > 1) out.push(members.sort());
    });
    return out;
  }

  /**
   * For each of `vertices`, the rank of its component (trivial ones
   * included) in the order Tarjan completes them: if u is reachable from v
   * then rank[v] >= rank[u].
   */
  ranks(mask: number, vertices: ArrayLike<number>, rank: Int32Array): void {
    let r = 0;
    this.run(mask, vertices, (members) => {
      for (const v of members) rank[v] = r;
      r++;
    });
  }

  private run(mask: number, vertices: ArrayLike<number> | undefined, emit: (members: Int32Array) => void): void {
    const g = this.g;
    const { order, low, onStack, stack, callVertex, callEdge, member } = this;
    const stamp = ++this.memberStamp;
    const all = vertices === undefined;
    const count = all ? g.n : vertices.length;
    const vertexAt = (i: number) => (all ? i : vertices[i]!);
    for (let i = 0; i < count; i++) {
      const v = vertexAt(i);
      member[v] = stamp;
      order[v] = -1;
    }
    let counter = 0;
    let sp = 0;
    for (let i = 0; i < count; i++) {
      const root = vertexAt(i);
      if (order[root] !== -1) continue;
      let depth = 0;
      order[root] = low[root] = counter++;
      stack[sp++] = root;
      onStack[root] = 1;
      callVertex[0] = root;
      callEdge[0] = g.outStart[root]!;
      depth = 1;
      while (depth > 0) {
        const v = callVertex[depth - 1]!;
        const p = callEdge[depth - 1]!;
        if (p < g.outStart[v + 1]!) {
          callEdge[depth - 1] = p + 1;
          const e = g.outEdge[p]!;
          if (((1 << g.kind[e]!) & mask) === 0) continue;
          const w = g.to[e]!;
          if (member[w] !== stamp) continue;
          if (order[w] === -1) {
            order[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            callVertex[depth] = w;
            callEdge[depth] = g.outStart[w]!;
            depth++;
          } else if (onStack[w] && order[w]! < low[v]!) {
            low[v] = order[w]!;
          }
          continue;
        }
        depth--;
        if (depth > 0) {
          const u = callVertex[depth - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
        if (low[v] !== order[v]) continue;
        let size = 0;
        while (stack[sp - 1 - size] !== v) size++;
        size++;
        const members = stack.slice(sp - size, sp);
        for (const w of members) onStack[w] = 0;
        sp -= size;
        emit(members);
      }
    }
  }
}
