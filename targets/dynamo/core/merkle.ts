/**
 * Merkle trees over key ranges, for anti-entropy: each range a node
 * replicates has a two-level tree, `LEAVES` buckets of keys (by key hash)
 * under one root. A bucket's hash is the XOR of its keys' digests (a digest
 * names the key and the dots of its siblings), so it is kept up to date in
 * O(1) per write; the root hashes the buckets. Two replicas of a range
 * compare roots, then buckets, then exchange only the keys of the buckets
 * that differ.
 */
import { ringHash } from './ring.js';

export const LEAVES = 16;

export function bucketOf(keyId: string): number {
  return ringHash(`b:${keyId}`) % LEAVES;
}

/** The digest of a key's state; 0 for a key without siblings (absent and empty agree). */
export function keyDigest(keyId: string, dots: string): number {
  return dots === '' ? 0 : ringHash(`${keyId}|${dots}`);
}

export class MerkleForest {
  private readonly trees = new Map<number, Uint32Array>();

  private tree(range: number): Uint32Array {
    let t = this.trees.get(range);
    if (!t) {
      t = new Uint32Array(LEAVES);
      this.trees.set(range, t);
    }
    return t;
  }

  /** A key of `range` changed from digest `before` to `after`. */
  update(range: number, keyId: string, before: number, after: number): void {
    const t = this.tree(range);
    const b = bucketOf(keyId);
    t[b] = (t[b]! ^ before ^ after) >>> 0;
  }

  leaves(range: number): number[] {
    return [...this.tree(range)];
  }

  root(range: number): number {
    // FNV-1a over the bucket hashes.
    let h = 0x811c9dc5;
    for (const leaf of this.tree(range)) {
      h = Math.imul(h ^ leaf, 0x01000193) >>> 0;
    }
    return h;
  }
}

/** The buckets whose hashes differ. */
export function differingBuckets(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < LEAVES; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}
