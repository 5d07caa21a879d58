/**
 * A node's keys: each key's record (siblings, the counter it issued, hints),
 * kept with the Merkle trees of the ranges this node replicates. Every
 * change goes through `write`, which keeps the trees in step and asks the
 * driver to persist the record.
 */
import { keyDigest, bucketOf, MerkleForest } from './merkle.js';
import type { Ring } from './ring.js';
import { dotsOf, merge, NO_SIBLINGS, type Resolution, type Siblings } from './siblings.js';
import type { Entry, KeyRecord } from './types.js';

/** The id of a key: its JSON (keys keep their JSON type, so 1 and "1" differ). */
export function keyIdOf(key: unknown): string {
  return JSON.stringify(key);
}

export class KeyStore {
  private readonly records = new Map<string, KeyRecord>();
  private readonly ranges = new Map<string, number>();
  private readonly forest = new MerkleForest();

  constructor(
    private readonly self: string,
    private readonly ring: Ring,
    private readonly n: number,
    private readonly resolution: Resolution,
    private readonly persist: (keyId: string, record: KeyRecord) => void,
    durable: ReadonlyMap<string, KeyRecord>,
  ) {
    for (const [keyId, rec] of durable) this.install(keyId, rec);
  }

  get size(): number {
    return this.records.size;
  }

  rangeOf(keyId: string): number {
    let r = this.ranges.get(keyId);
    if (r === undefined) {
      r = this.ring.rangeOf(keyId);
      this.ranges.set(keyId, r);
    }
    return r;
  }

  /** Whether this node is one of the N homes of a range. */
  isHome(range: number): boolean {
    return this.ring.homes(range, this.n).includes(this.self);
  }

  record(keyId: string): KeyRecord | undefined {
    return this.records.get(keyId);
  }

  siblings(keyId: string): Siblings {
    return this.records.get(keyId)?.siblings ?? NO_SIBLINGS;
  }

  /** Replace a key's record (persisted). */
  write(keyId: string, rec: KeyRecord): void {
    this.install(keyId, rec);
    this.persist(keyId, rec);
  }

  /** Merge a state from elsewhere into the key's; whether anything changed. */
  mergeIn(e: Entry, hintFor?: string): boolean {
    const old = this.records.get(e.keyId);
    const siblings = merge(old?.siblings ?? NO_SIBLINGS, e.siblings, this.resolution);
    const hints = hintFor === undefined || old?.hints.includes(hintFor) ? (old?.hints ?? []) : [...(old?.hints ?? []), hintFor];
    if (old && dotsOf(old.siblings) === dotsOf(siblings) && hints === old.hints) return false;
    this.write(e.keyId, { key: e.key, siblings, issued: old?.issued ?? 0, hints });
    return true;
  }

  dropHint(keyId: string, home: string): void {
    const rec = this.records.get(keyId);
    if (rec?.hints.includes(home)) this.write(keyId, { ...rec, hints: rec.hints.filter((h) => h !== home) });
  }

  /** Keys held for other nodes, with the homes each is held for. */
  hinted(): { keyId: string; rec: KeyRecord }[] {
    const out: { keyId: string; rec: KeyRecord }[] = [];
    for (const [keyId, rec] of this.records) if (rec.hints.length > 0) out.push({ keyId, rec });
    return out;
  }

  get hintCount(): number {
    let n = 0;
    for (const rec of this.records.values()) n += rec.hints.length;
    return n;
  }

  root(range: number): number {
    return this.forest.root(range);
  }

  leaves(range: number): number[] {
    return this.forest.leaves(range);
  }

  /** This node's keys in the given buckets of the given ranges. */
  entriesIn(buckets: readonly [range: number, bucket: number][]): Entry[] {
    const wanted = new Set(buckets.map(([r, b]) => `${r}/${b}`));
    const out: Entry[] = [];
    for (const [keyId, rec] of this.records) {
      if (rec.siblings.length > 0 && wanted.has(`${this.rangeOf(keyId)}/${bucketOf(keyId)}`)) out.push({ keyId, key: rec.key, siblings: rec.siblings });
    }
    return out;
  }

  private install(keyId: string, rec: KeyRecord): void {
    const range = this.rangeOf(keyId);
    if (this.isHome(range)) {
      const before = keyDigest(keyId, dotsOf(this.siblings(keyId)));
      this.forest.update(range, keyId, before, keyDigest(keyId, dotsOf(rec.siblings)));
    }
    this.records.set(keyId, rec);
  }
}
