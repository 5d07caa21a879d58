import type { Scratch } from './scratch.js';

/**
 * The set of configurations (which calls are linearized, model state) the
 * search has already explored. An open-addressing hash table over a pool of
 * bitsets; the hash is supplied by the caller (maintained incrementally).
 *
 * Calls of unknown outcome ("optional" calls, marked in `optional`) are
 * compared by inclusion rather than equality: a configuration is known if
 * one with the same state, the same completed calls and a subset of its
 * optional calls was explored. That one had every option this one has
 * (optional calls never need to be linearized), so if it failed this one
 * fails too. The caller's hash must therefore leave optional calls out.
 */
export class ConfigCache {
  private pool: Uint32Array;
  private poolUsed = 0;
  private slots: Int32Array;
  private slotHashes: Int32Array;
  private mask: number;
  private count = 0;
  private readonly stride: number;

  private readonly optional: Uint32Array | undefined;

  constructor(
    private readonly words: number,
    optional?: Uint32Array,
    scratch?: Scratch,
  ) {
    this.optional = optional && optional.some((w) => w !== 0) ? optional : undefined;
    this.stride = words + 1;
    // Most searches explore a few hundred configurations: start small (from the
    // search's scratch arrays when given), double as needed.
    this.pool = scratch ? scratch.uint32(this.stride * 128) : new Uint32Array(this.stride * 128);
    this.slots = scratch ? scratch.int32(256) : new Int32Array(256);
    this.slotHashes = scratch ? scratch.int32(256) : new Int32Array(256);
    this.mask = 255;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held, for the memory budget. */
  get bytes(): number {
    return this.pool.byteLength + this.slots.byteLength * 2;
  }

  /**
   * Bytes the cache may newly allocate while `adds` more configurations
   * are added: each doubling of the pool or of the slots allocates the new
   * array while the old one is still held.
   */
  growthWithin(adds: number): number {
    let bytes = 0;
    let pool = this.pool.length;
    while (this.poolUsed + adds * this.stride > pool) {
      pool *= 2;
      bytes += pool * 4;
    }
    let slots = this.slots.length;
    while ((this.count + adds) * 2 > slots - 1) {
      slots *= 2;
      bytes += slots * 8;
    }
    return bytes;
  }

  /** Add the configuration; false when it (or one that dominates it) was already there. */
  add(hash: number, bits: Uint32Array, state: number): boolean {
    const { pool, stride, words, slots, slotHashes, mask, optional } = this;
    let i = hash & mask;
    for (;;) {
      const entry = slots[i]!;
      if (entry === 0) break;
      if (slotHashes[i] === hash) {
        const base = entry - 1;
        if (pool[base] === state) {
          let known = true;
          if (optional === undefined) {
            for (let w = 0; w < words; w++) {
              if (pool[base + 1 + w] !== bits[w]) {
                known = false;
                break;
              }
            }
          } else {
            for (let w = 0; w < words; w++) {
              const seen = pool[base + 1 + w]!;
              const now = bits[w]!;
              const opt = optional[w]!;
              // Equal on completed calls; the seen optional calls a subset of ours.
              if (((seen ^ now) & ~opt) !== 0 || (seen & opt & ~now) !== 0) {
                known = false;
                break;
              }
            }
          }
          if (known) return false;
        }
      }
      i = (i + 1) & mask;
    }
    if (this.poolUsed + stride > this.pool.length) {
      const grown = new Uint32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    const base = this.poolUsed;
    this.pool[base] = state;
    this.pool.set(bits, base + 1);
    this.poolUsed += stride;
    slots[i] = base + 1;
    slotHashes[i] = hash;
    this.count++;
    if (this.count * 2 > mask) this.grow();
    return true;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.slotHashes;
    const size = oldSlots.length * 2;
    this.slots = new Int32Array(size);
    this.slotHashes = new Int32Array(size);
    this.mask = size - 1;
    for (let j = 0; j < oldSlots.length; j++) {
      const entry = oldSlots[j]!;
      if (entry === 0) continue;
      const h = oldHashes[j]!;
      let i = h & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = entry;
      this.slotHashes[i] = h;
    }
  }
}
