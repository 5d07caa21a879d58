/**
 * The in-memory Raft log: a compacted prefix (the snapshot's index and term)
 * followed by contiguous entries.
 */
import type { Entry } from './types.js';

export class RaftLog {
  private base: { index: number; term: number };
  private entries: Entry[];

  constructor(base: { index: number; term: number }, entries: readonly Entry[]) {
    this.base = { ...base };
    this.entries = [];
    for (const e of entries) {
      if (e.index <= base.index) continue;
      if (e.index !== this.lastIndex() + 1) throw new Error(`log entries not contiguous at ${e.index}`);
      this.entries.push(e);
    }
  }

  snapshotIndex(): number {
    return this.base.index;
  }

  snapshotTerm(): number {
    return this.base.term;
  }

  lastIndex(): number {
    return this.base.index + this.entries.length;
  }

  lastTerm(): number {
    const last = this.entries[this.entries.length - 1];
    return last ? last.term : this.base.term;
  }

  /** The term of the entry at `index`, or undefined if it was compacted away or does not exist yet. */
  term(index: number): number | undefined {
    if (index === this.base.index) return this.base.term;
    return this.entry(index)?.term;
  }

  entry(index: number): Entry | undefined {
    if (index <= this.base.index) return undefined;
    return this.entries[index - this.base.index - 1];
  }

  /** Entries in [lo, hi], clamped to what the log holds after the snapshot. */
  slice(lo: number, hi: number): Entry[] {
    const from = Math.max(lo, this.base.index + 1) - this.base.index - 1;
    const to = Math.min(hi, this.lastIndex()) - this.base.index;
    return from < to ? this.entries.slice(from, to) : [];
  }

  /** First index of the run of entries with the same term as the entry at `index`. */
  firstIndexOfTerm(index: number): number {
    const t = this.term(index);
    let i = index;
    while (i - 1 > this.base.index && this.term(i - 1) === t) i--;
    return i;
  }

  /** Last index holding `term`, or undefined. */
  lastIndexOfTerm(term: number): number | undefined {
    for (let i = this.lastIndex(); i > this.base.index; i--) {
      const t = this.term(i);
      if (t === term) return i;
      if (t !== undefined && t < term) return undefined;
    }
    return this.base.term === term ? this.base.index : undefined;
  }

  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  append(entry: Entry): void {
    if (entry.index !== this.lastIndex() + 1) throw new Error(`append at ${entry.index}, log ends at ${this.lastIndex()}`);
    this.entries.push(entry);
  }

  /** Drop every entry at `index` and after. */
  truncateFrom(index: number): void {
    if (index <= this.base.index) throw new Error(`cannot truncate compacted index ${index}`);
    this.entries.length = Math.max(0, index - this.base.index - 1);
  }

  /** Forget entries up to `index`, which becomes the new base. Keeps a matching suffix. */
  compactTo(index: number, term: number): void {
    if (index <= this.base.index) return;
    if (this.term(index) === term) {
      this.entries = this.entries.slice(index - this.base.index);
    } else {
      this.entries = [];
    }
    this.base = { index, term };
  }
}
