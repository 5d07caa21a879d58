/**
 * A radix trie over the values a key's gets returned, for the kv model.
 *
 * Appends only extend a value, so the only states worth telling apart are
 * prefixes of some value read; each such prefix is a position in this trie,
 * numbered by a small integer. Appending walks the trie; reading compares
 * two integers; "could this state still grow into that value" is an
 * ancestor test on DFS intervals. No string is built during the search.
 */

/** A position that is not a prefix of any value read. */
export const OFF_TRIE = -1;

interface Node {
  /** A value read that passes through this node (its label is a slice of it). */
  rep: string;
  /** Depth (in characters) of the node's end, and of its parent's end. */
  depth: number;
  parentDepth: number;
  children: Map<string, number>;
  /** Position ids of the characters on the edge into this node start here. */
  base: number;
  tin: number;
  tout: number;
}

export class PrefixTrie {
  private readonly nodes: Node[] = [{ rep: '', depth: 0, parentDepth: 0, children: new Map(), base: 0, tin: 0, tout: 0 }];
  /** For each position id: its node and depth. Position 0 is the root (the empty value). */
  private posNode: Int32Array = new Int32Array(0);
  private posDepth: Int32Array = new Int32Array(0);
  private readonly ends = new Map<string, number>();

  constructor(values: Iterable<string>) {
    const distinct = [...new Set(values)];
    for (const v of distinct) this.insert(v);
    this.number();
    for (const v of distinct) this.ends.set(v, this.walk(0, v));
  }

  /** The position of the empty value. */
  get root(): number {
    return 0;
  }

  /** The position where value `v` ends, or OFF_TRIE when no get returned it (nor a value it starts). */
  positionOf(v: string): number {
    return this.ends.get(v) ?? this.walk(0, v);
  }

  /** The position after appending `piece` at `pos`, or OFF_TRIE. */
  walk(pos: number, piece: string): number {
    if (pos === OFF_TRIE) return OFF_TRIE;
    let node = this.posNode[pos]!;
    let depth = this.posDepth[pos]!;
    for (let k = 0; k < piece.length; k++) {
      let n = this.nodes[node]!;
      if (depth === n.depth) {
        const child = n.children.get(piece[k]!);
        if (child === undefined) return OFF_TRIE;
        node = child;
        n = this.nodes[node]!;
      } else if (n.rep.charCodeAt(depth) !== piece.charCodeAt(k)) return OFF_TRIE;
      depth++;
    }
    return this.position(node, depth);
  }

  /** True when the value at `pos` is a prefix of the value at `target`. */
  isPrefix(pos: number, target: number): boolean {
    if (pos === OFF_TRIE || target === OFF_TRIE) return false;
    const a = this.nodes[this.posNode[pos]!]!;
    const b = this.nodes[this.posNode[target]!]!;
    return a.tin <= b.tin && b.tin < a.tout && this.posDepth[pos]! <= this.posDepth[target]!;
  }

  /** The value at a position. */
  text(pos: number): string {
    return this.nodes[this.posNode[pos]!]!.rep.slice(0, this.posDepth[pos]!);
  }

  private position(node: number, depth: number): number {
    const n = this.nodes[node]!;
    return depth === 0 ? 0 : n.base + (depth - n.parentDepth - 1);
  }

  private insert(v: string): void {
    let node = 0;
    let depth = 0;
    while (depth < v.length) {
      const n = this.nodes[node]!;
      const childId = n.children.get(v[depth]!);
      if (childId === undefined) {
        n.children.set(v[depth]!, this.add(v, depth, v.length));
        return;
      }
      const child = this.nodes[childId]!;
      // Follow the child's label while it matches.
      let d = depth;
      while (d < child.depth && d < v.length && child.rep.charCodeAt(d) === v.charCodeAt(d)) d++;
      if (d === child.depth) {
        node = childId;
        depth = d;
        continue;
      }
      // Split the edge at d: a middle node from depth to d, then the old child below it.
      const mid = this.add(child.rep, depth, d);
      n.children.set(v[depth]!, mid);
      this.nodes[mid]!.children.set(child.rep[d]!, childId);
      child.parentDepth = d;
      if (d < v.length) this.nodes[mid]!.children.set(v[d]!, this.add(v, d, v.length));
      return;
    }
  }

  private add(rep: string, from: number, to: number): number {
    this.nodes.push({ rep, depth: to, parentDepth: from, children: new Map(), base: 0, tin: 0, tout: 0 });
    return this.nodes.length - 1;
  }

  /** Number positions (one per character of the trie) and DFS intervals. */
  private number(): void {
    let positions = 1;
    for (const n of this.nodes) positions += n.depth - n.parentDepth;
    this.posNode = new Int32Array(positions);
    this.posDepth = new Int32Array(positions);
    let next = 1;
    let clock = 0;
    const visit = (id: number) => {
      const n = this.nodes[id]!;
      n.tin = clock++;
      if (id !== 0) {
        n.base = next;
        for (let d = n.parentDepth + 1; d <= n.depth; d++) {
          this.posNode[next] = id;
          this.posDepth[next] = d;
          next++;
        }
      }
      for (const c of n.children.values()) visit(c);
      n.tout = clock;
    };
    visit(0);
  }
}
