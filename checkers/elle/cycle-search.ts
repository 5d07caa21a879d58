/**
 * Searching a strongly connected component for the cycles Adya's anomalies
 * name. Each anomaly is a constraint on the edges of a cycle:
 *
 *   G0                  ww edges only
 *   G1c                 ww and wr, at least one wr
 *   G-single-item       ww and wr, exactly one rw
 *   G-nonadjacent-item  ww and wr, two or more rw, no two rw next to each other
 *   G2-item             ww and wr, two or more rw
 *
 * and each has a -process variant (process edges allowed, at least one
 * used) and a -realtime variant (process and real-time edges allowed, at
 * least one real-time edge used).
 *
 * How: a constraint is a small automaton over edge relations (how many rw
 * edges so far, was the last one rw, was a wr or a real-time edge seen). A
 * cycle of that kind contains an "anchor" edge of a relation it needs (an rw
 * edge, or a wr edge...); from the head of each anchor, a breadth-first
 * search over (vertex, automaton state) pairs looks for the anchor's tail in
 * an accepting state. That is polynomial (vertices × states × edges per
 * anchor head) where enumerating paths is exponential; it is still quadratic
 * in the worst case, so the caller's `stop()` bounds it.
 *
 * The search is first narrowed to the components of the subgraph of the
 * relations the anomaly allows (a cycle cannot leave one), and anomalies
 * implied by one already found in the component are not searched for (Elle's
 * economy: a G0 cycle is also a G1c-realtime one).
 */
import { CYCLE_ANOMALIES, impliedBy, type AnomalyName, type CycleAnomaly } from './anomalies.js';
import { KIND, relMask, type Graph } from './graph.js';
import { SccFinder } from './scc.js';

type RwMode = 'none' | 'single' | 'nonadjacent' | 'multiple';

export interface CycleSpec {
  readonly type: CycleAnomaly;
  /** Relations the cycle may use. */
  readonly allowed: number;
  readonly rw: RwMode;
  readonly needsWr: boolean;
  /** A relation kind of which at least one edge is needed (process or realtime), or -1. */
  readonly needsKind: number;
}

export function cycleSpec(type: CycleAnomaly): CycleSpec {
  const variant = type.endsWith('-realtime') ? 'realtime' : type.endsWith('-process') ? 'process' : '';
  const base = variant ? type.slice(0, -variant.length - 1) : type;
  const rw: RwMode = base === 'G-single-item' ? 'single' : base === 'G-nonadjacent-item' ? 'nonadjacent' : base === 'G2-item' ? 'multiple' : 'none';
  let allowed = base === 'G0' ? relMask('ww') : rw === 'none' ? relMask('ww', 'wr') : relMask('ww', 'wr', 'rw');
  if (variant === 'process') allowed |= relMask('process');
  if (variant === 'realtime') allowed |= relMask('process', 'realtime');
  return { type, allowed, rw, needsWr: base === 'G1c', needsKind: variant === '' ? -1 : KIND[variant] };
}

/** A simple cycle: edge ids in order, each edge's head the next one's tail, the last one's head the first one's tail. */
export interface FoundCycle {
  readonly type: CycleAnomaly;
  readonly edges: readonly number[];
}

export interface ComponentResult {
  readonly cycles: FoundCycle[];
  /** Anomalies whose search was cut short by `stop()`. */
  readonly unfinished: CycleAnomaly[];
}

const RW = KIND.rw;
const WR = KIND.wr;

// Automaton state codes: bits 0-1 rw count (0, 1, 2 = two or more), bit 2 last edge rw, bit 3 wr seen, bit 4 needed kind seen.
const CODES = 32;
const KINDS = 5;

/** The automaton of a spec, over dense state numbers. */
class Automaton {
  /** next[dense * KINDS + kind]: dense state after an edge of that kind, or -1. */
  readonly next: Int16Array;
  readonly accepting: Uint8Array;
  /** Number of reachable states. */
  readonly size: number;
  readonly start = 0;

  constructor(readonly spec: CycleSpec) {
    const dense = new Int16Array(CODES).fill(-1);
    const codes: number[] = [0];
    dense[0] = 0;
    const edges: [number, number, number][] = [];
    for (let i = 0; i < codes.length; i++) {
      for (let kind = 0; kind < KINDS; kind++) {
        const c = step(spec, codes[i]!, kind);
        if (c < 0) continue;
        if (dense[c] === -1) {
          dense[c] = codes.length;
          codes.push(c);
        }
        edges.push([i, kind, dense[c]!]);
      }
    }
    this.size = codes.length;
    this.next = new Int16Array(this.size * KINDS).fill(-1);
    for (const [from, kind, to] of edges) this.next[from * KINDS + kind] = to;
    this.accepting = Uint8Array.from(codes, (c) => (accepts(spec, c) ? 1 : 0));
  }
}

function step(spec: CycleSpec, code: number, kind: number): number {
  if (((1 << kind) & spec.allowed) === 0) return -1;
  let rw = code & 3;
  let lastRw = (code >> 2) & 1;
  let wr = (code >> 3) & 1;
  let needed = (code >> 4) & 1;
  if (kind === RW) {
    if (spec.rw === 'none' || (spec.rw === 'single' && rw >= 1) || (spec.rw === 'nonadjacent' && lastRw)) return -1;
    rw = Math.min(rw + 1, 2);
    lastRw = spec.rw === 'nonadjacent' ? 1 : 0;
  } else {
    lastRw = 0;
    if (kind === WR && spec.needsWr) wr = 1;
    if (kind === spec.needsKind) needed = 1;
  }
  return rw | (lastRw << 2) | (wr << 3) | (needed << 4);
}

function accepts(spec: CycleSpec, code: number): boolean {
  const rw = code & 3;
  const want = spec.rw === 'none' ? 0 : spec.rw === 'single' ? 1 : 2;
  if (rw !== want) return false;
  // The anchor (first edge) of a nonadjacent cycle is rw, so the closing edge must not be.
  if (spec.rw === 'nonadjacent' && (code >> 2) & 1) return false;
  if (spec.needsWr && !((code >> 3) & 1)) return false;
  if (spec.needsKind >= 0 && !((code >> 4) & 1)) return false;
  return true;
}

/** The anomaly a simple cycle exhibits, from the relations of its edges. */
export function classifyCycle(g: Graph, edges: readonly number[]): CycleAnomaly {
  const count = [0, 0, 0, 0, 0];
  let rwAdjacent = false;
  for (let i = 0; i < edges.length; i++) {
    const k = g.kind[edges[i]!]!;
    count[k]!++;
    if (k === RW && g.kind[edges[(i + 1) % edges.length]!] === RW) rwAdjacent = true;
  }
  const rw = count[RW]!;
  const base = rw === 1 ? 'G-single-item' : rw >= 2 ? (rwAdjacent ? 'G2-item' : 'G-nonadjacent-item') : count[WR]! > 0 ? 'G1c' : 'G0';
  const suffix = count[KIND.realtime]! > 0 ? '-realtime' : count[KIND.process]! > 0 ? '-process' : '';
  return `${base}${suffix}` as CycleAnomaly;
}

const severity = (t: CycleAnomaly) => CYCLE_ANOMALIES.indexOf(t);

/** Split a closed walk into simple cycles. */
export function simpleCycles(g: Graph, walk: readonly number[]): number[][] {
  const out: number[][] = [];
  const edgeStack: number[] = [];
  const vertexStack: number[] = [g.from[walk[0]!]!];
  const position = new Map<number, number>([[vertexStack[0]!, 0]]);
  for (const e of walk) {
    const v = g.to[e]!;
    edgeStack.push(e);
    const at = position.get(v);
    if (at === undefined) {
      position.set(v, vertexStack.length);
      vertexStack.push(v);
      continue;
    }
    // v closes a loop: the edges since v was last on the stack.
    out.push(edgeStack.splice(at));
    for (const w of vertexStack.splice(at + 1)) position.delete(w);
  }
  return out;
}

export class CycleSearcher {
  private readonly scc: SccFinder;
  private readonly mark: Int32Array;
  private readonly local: Int32Array;
  private readonly tail: Int32Array;
  private readonly tailEdge: Int32Array;
  private readonly rank: Int32Array;
  private stamp = 0;

  constructor(private readonly g: Graph) {
    this.scc = new SccFinder(g);
    this.mark = new Int32Array(g.n);
    this.local = new Int32Array(g.n);
    this.tail = new Int32Array(g.n);
    this.tailEdge = new Int32Array(g.n);
    this.rank = new Int32Array(g.n);
  }

  /**
   * Cycles of the given kinds (most severe first) in one strongly connected
   * component; at most one per kind, none of a kind implied by one found.
   */
  searchComponent(component: Int32Array, specs: readonly CycleSpec[], stop: () => boolean): ComponentResult {
    const cycles: FoundCycle[] = [];
    const covered = new Set<AnomalyName>();
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (covered.has(spec.type)) continue;
      const r = this.searchSpec(component, spec, stop);
      if (r === 'stopped') {
        const unfinished = specs.slice(i).map((s) => s.type).filter((t) => !covered.has(t));
        if (cycles.length === 0) cycles.push(this.anyCycle(component));
        return { cycles, unfinished };
      }
      if (r === undefined) continue;
      cycles.push(r);
      for (const a of impliedBy([r.type])) covered.add(a);
    }
    return { cycles, unfinished: [] };
  }

  private searchSpec(component: Int32Array, spec: CycleSpec, stop: () => boolean): FoundCycle | undefined | 'stopped' {
    if (stop()) return 'stopped';
    const subs = this.scc.components(spec.allowed, component).sort((a, b) => a.length - b.length);
    for (const sub of subs) {
      const r = this.searchSub(sub, spec, stop);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** Search one component of the spec's subgraph. */
  private searchSub(sub: Int32Array, spec: CycleSpec, stop: () => boolean): FoundCycle | undefined | 'stopped' {
    const g = this.g;
    const { mark, local } = this;
    const inSub = ++this.stamp;
    for (let i = 0; i < sub.length; i++) {
      mark[sub[i]!] = inSub;
      local[sub[i]!] = i;
    }
    const anchorKind = this.anchorKind(sub, spec, inSub);
    if (anchorKind < 0) return undefined;
    const anchors: number[] = [];
    for (const u of sub) {
      for (let p = g.outStart[u]!; p < g.outStart[u + 1]!; p++) {
        const e = g.outEdge[p]!;
        if (g.kind[e] === anchorKind && mark[g.to[e]!] === inSub) anchors.push(e);
      }
    }
    if (spec.rw === 'single') {
      // The path back from the anchor's head to its tail has no rw edge: the tail must be reachable from the head without
      // one, so the head's component (of the rest) cannot come after the tail's in topological order. Cheap, and it drops
      // nearly every rw edge of a history that mostly runs forward in time.
      this.scc.ranks(spec.allowed & ~(1 << RW), sub, this.rank);
      const kept = anchors.filter((e) => this.rank[g.to[e]!]! >= this.rank[g.from[e]!]!);
      anchors.length = 0;
      anchors.push(...kept);
    }
    anchors.sort((a, b) => g.to[a]! - g.to[b]!);

    const auto = new Automaton(spec);
    const S = auto.size;
    const cells = sub.length * S;
    const seen = new Int32Array(cells);
    const parentEdge = new Int32Array(cells);
    const parentCell = new Int32Array(cells);
    const queue = new Int32Array(cells);
    let bfs = 0;
    let pops = 0;
    for (let a = 0; a < anchors.length; ) {
      const head = g.to[anchors[a]!]!;
      const tails = ++this.stamp;
      for (; a < anchors.length && g.to[anchors[a]!] === head; a++) {
        this.tail[g.from[anchors[a]!]!] = tails;
        this.tailEdge[g.from[anchors[a]!]!] = anchors[a]!;
      }
      const s0 = auto.next[auto.start * KINDS + anchorKind]!;
      bfs++;
      const startCell = local[head]! * S + s0;
      seen[startCell] = bfs;
      queue[0] = startCell;
      let qh = 0;
      let qt = 1;
      while (qh < qt) {
        if ((++pops & 1023) === 0 && stop()) return 'stopped';
        const cell = queue[qh++]!;
        const x = sub[(cell / S) | 0]!;
        const state = cell % S;
        if (this.tail[x] === tails && auto.accepting[state] && cell !== startCell) {
          const walk = [this.tailEdge[x]!];
          for (let c = cell; c !== startCell; c = parentCell[c]!) walk.push(parentEdge[c]!);
          walk.reverse();
          // walk is now [path edges..., anchor]; rotate so the anchor comes first.
          walk.unshift(walk.pop()!);
          return this.mostSevere(walk);
        }
        for (let p = g.outStart[x]!; p < g.outStart[x + 1]!; p++) {
          const e = g.outEdge[p]!;
          const w = g.to[e]!;
          if (mark[w] !== inSub) continue;
          const ns = auto.next[state * KINDS + g.kind[e]!]!;
          if (ns < 0) continue;
          const nc = local[w]! * S + ns;
          if (seen[nc] === bfs) continue;
          seen[nc] = bfs;
          parentEdge[nc] = e;
          parentCell[nc] = cell;
          queue[qt++] = nc;
        }
      }
    }
    return undefined;
  }

  /** The relation to anchor on: one every such cycle needs, the rarest in this subgraph; -1 when one it needs is absent. */
  private anchorKind(sub: Int32Array, spec: CycleSpec, inSub: number): number {
    const g = this.g;
    const candidates = spec.rw !== 'none' ? [RW] : [...(spec.needsWr ? [WR] : []), ...(spec.needsKind >= 0 ? [spec.needsKind] : [])];
    if (candidates.length === 0) candidates.push(KIND.ww);
    const counts = new Map<number, number>(candidates.map((k) => [k, 0]));
    for (const u of sub) {
      for (let p = g.outStart[u]!; p < g.outStart[u + 1]!; p++) {
        const e = g.outEdge[p]!;
        const k = g.kind[e]!;
        if (counts.has(k) && this.mark[g.to[e]!] === inSub) counts.set(k, counts.get(k)! + 1);
      }
    }
    let best = -1;
    for (const [k, n] of counts) {
      if (n === 0) return -1;
      if (best < 0 || n < counts.get(best)!) best = k;
    }
    return best;
  }

  private mostSevere(walk: number[]): FoundCycle {
    let best: FoundCycle | undefined;
    for (const edges of simpleCycles(this.g, walk)) {
      const type = classifyCycle(this.g, edges);
      if (!best || severity(type) < severity(best.type)) best = { type, edges };
    }
    return best!;
  }

  /** Some cycle of a strongly connected component, found in one breadth-first search: what is reported when the search for specific ones was cut short. */
  anyCycle(component: Int32Array): FoundCycle {
    const g = this.g;
    const inComp = ++this.stamp;
    for (const v of component) this.mark[v] = inComp;
    const start = component[0]!;
    const parent = new Map<number, number>([[start, -1]]);
    const queue = [start];
    for (let qh = 0; qh < queue.length; qh++) {
      const x = queue[qh]!;
      for (let p = g.outStart[x]!; p < g.outStart[x + 1]!; p++) {
        const e = g.outEdge[p]!;
        const w = g.to[e]!;
        if (this.mark[w] !== inComp) continue;
        if (w === start) {
          const edges = [e];
          for (let v = x; v !== start; v = g.from[parent.get(v)!]!) edges.push(parent.get(v)!);
          edges.reverse();
          return { type: classifyCycle(g, edges), edges };
        }
        if (parent.has(w)) continue;
        parent.set(w, e);
        queue.push(w);
      }
    }
    throw new Error('anyCycle: not a strongly connected component');
  }
}
