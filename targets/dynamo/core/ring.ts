/**
 * Consistent hashing with virtual nodes, as in Dynamo: every node owns
 * `vnodes` tokens on a 32-bit ring; a key belongs to the first token at or
 * after its hash. Walking the ring clockwise from there and keeping each
 * node the first time it appears gives the key's preference list: its first
 * N nodes are the key's replicas (its home nodes), the rest are the
 * fallbacks a sloppy quorum hands writes to when homes are down.
 *
 * Between two consecutive tokens lies a range: every key in it has the same
 * preference list, so ranges are what anti-entropy compares.
 */
import { createHash } from 'node:crypto';

/** A 32-bit position on the ring. */
export function ringHash(s: string): number {
  return createHash('md5').update(s).digest().readUInt32BE(0);
}

export class Ring {
  /** Token positions, ascending, and the node owning each. */
  private readonly tokens: { at: number; node: string }[];
  /** For each range (ending at token i), the preference list: every node, in walking order. */
  private readonly lists: string[][];

  constructor(
    readonly nodes: readonly string[],
    vnodes: number,
  ) {
    if (nodes.length === 0) throw new Error('a ring needs at least one node');
    this.tokens = nodes.flatMap((node) => Array.from({ length: vnodes }, (_, i) => ({ at: ringHash(`${node}#${i}`), node })));
    this.tokens.sort((a, b) => a.at - b.at || (a.node < b.node ? -1 : 1));
    this.lists = this.tokens.map((_, i) => {
      const list: string[] = [];
      for (let j = 0; j < this.tokens.length && list.length < nodes.length; j++) {
        const node = this.tokens[(i + j) % this.tokens.length]!.node;
        if (!list.includes(node)) list.push(node);
      }
      return list;
    });
  }

  /** How many ranges the ring has (one per token). */
  get rangeCount(): number {
    return this.tokens.length;
  }

  /** The range a key (by its id) falls in: the index of the first token at or after its hash. */
  rangeOf(keyId: string): number {
    const h = ringHash(keyId);
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.at < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.tokens.length ? 0 : lo;
  }

  /** Every node, in the order a key of this range walks them. */
  preferenceList(range: number): readonly string[] {
    return this.lists[range]!;
  }

  /** The first `n` nodes of a range's preference list: its replicas. */
  homes(range: number, n: number): readonly string[] {
    return this.lists[range]!.slice(0, n);
  }
}
