/**
 * A simulated node's disk. Correctly, a Ready is durable as soon as it is
 * persisted; with `lazy` (the no-fsync bug) it sits in a buffer that a crash
 * loses until the next flush.
 */
import type { DurableState, Entry, HardState, Ready, Snapshot } from '../raft/types.js';
import type { Rng } from './rng.js';

export class SimStore {
  private hardState: HardState = { term: 0, vote: null };
  private snapshot: Snapshot | null = null;
  private entries: Entry[] = [];
  private buffer: Ready[] = [];

  constructor(private readonly rng: Rng) {}

  persist(rd: Ready, lazy: boolean): void {
    if (!rd.hardState && !rd.snapshot && rd.entries.length === 0) return;
    if (lazy) this.buffer.push(rd);
    else this.write(rd);
  }

  flush(): void {
    for (const rd of this.buffer) this.write(rd);
    this.buffer = [];
  }

  /** A crash: whatever was still buffered is gone (maybe a prefix made it out). */
  crash(): void {
    const kept = this.rng.int(0, this.buffer.length);
    for (const rd of this.buffer.slice(0, kept)) this.write(rd);
    this.buffer = [];
  }

  load(): DurableState {
    return JSON.parse(JSON.stringify({ hardState: this.hardState, snapshot: this.snapshot, entries: this.entries })) as DurableState;
  }

  private write(rd: Ready): void {
    if (rd.hardState) this.hardState = { ...rd.hardState };
    if (rd.snapshot) {
      const s = rd.snapshot.snapshot;
      if (!this.snapshot || s.index > this.snapshot.index) {
        this.snapshot = s;
        // Keep the stored suffix only if it continues the snapshot, as the core does.
        const matches = this.entries.some((e) => e.index === s.index && e.term === s.term);
        this.entries = matches ? this.entries.filter((e) => e.index > s.index) : [];
      }
    }
    const first = rd.entries[0];
    if (first) {
      const base = this.snapshot?.index ?? 0;
      this.entries = this.entries.filter((e) => e.index < first.index);
      const lastKept = this.entries[this.entries.length - 1]?.index ?? base;
      if (first.index > lastKept + 1) throw new Error(`gap in stored log: ${lastKept} then ${first.index}`);
      this.entries.push(...rd.entries.filter((e) => e.index > base));
    }
  }
}
