/**
 * Durable state of one node in its data dir:
 *   wal.jsonl      records, one JSON line each: {"h": HardState} or {"e": Entry};
 *                  an entry at an index already present replaces that suffix.
 *   snapshot.json  the latest snapshot (written to a temp file, fsynced, renamed).
 * A torn last line (kill -9 mid-write) is ignored on recovery.
 *
 * Correctly, `persist` resolves only after the records are fdatasync'ed.
 * With `lazy` (the no-fsync bug) records wait in a user-space buffer that is
 * written out every `lazyFlushMs` without fsync, and `persist` resolves at once:
 * kill -9 loses the buffer.
 */
import { closeSync, existsSync, fdatasync, fsyncSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { DurableState, Entry, HardState, Ready, Snapshot } from '../raft/types.js';

type WalRecord = { h: HardState } | { e: Entry };

const writeAsync = promisify(write) as (fd: number, s: string) => Promise<unknown>;
const fdatasyncAsync = promisify(fdatasync);

export interface StorageOptions {
  lazy: boolean;
  lazyFlushMs: number;
}

export class DiskStorage {
  private walFd = -1;
  private hardState: HardState = { term: 0, vote: null };
  private snapshot: Snapshot | null = null;
  /** Mirror of the stored entries, to rewrite the WAL after a snapshot. */
  private entries: Entry[] = [];
  private buffer: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly dir: string,
    private readonly opts: StorageOptions,
  ) {}

  static async open(dir: string, opts: StorageOptions): Promise<DiskStorage> {
    const s = new DiskStorage(dir, opts);
    s.recover();
    s.walFd = openSync(join(dir, 'wal.jsonl'), 'a');
    if (opts.lazy) {
      s.flushTimer = setInterval(() => s.flushLazy(), opts.lazyFlushMs);
      s.flushTimer.unref();
    }
    return s;
  }

  durableState(): DurableState {
    return { hardState: { ...this.hardState }, snapshot: this.snapshot, entries: [...this.entries] };
  }

  async persist(rd: Ready): Promise<void> {
    if (rd.snapshot) this.installSnapshot(rd.snapshot.snapshot);
    const lines: string[] = [];
    if (rd.hardState) {
      this.hardState = { ...rd.hardState };
      lines.push(JSON.stringify({ h: rd.hardState } satisfies WalRecord));
    }
    const first = rd.entries[0];
    if (first) {
      this.truncateMirror(first.index);
      for (const e of rd.entries) {
        this.entries.push(e);
        lines.push(JSON.stringify({ e } satisfies WalRecord));
      }
    }
    if (lines.length === 0) return;
    const text = lines.join('\n') + '\n';
    if (this.opts.lazy) {
      this.buffer.push(text);
      return;
    }
    await writeAsync(this.walFd, text);
    await fdatasyncAsync(this.walFd);
  }

  close(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushLazy();
    closeSync(this.walFd);
  }

  /** The no-fsync path: hand the buffer to the OS, never fsync. */
  private flushLazy(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    writeSync(this.walFd, text);
  }

  private truncateMirror(fromIndex: number): void {
    const base = this.snapshot?.index ?? 0;
    const keep = Math.max(0, fromIndex - base - 1);
    if (keep < this.entries.length) this.entries.length = keep;
  }

  /**
   * Write the snapshot, then rewrite the WAL without the entries it covers
   * (each atomically). A crash between the two leaves the old WAL, whose
   * entries up to the snapshot are skipped on recovery.
   */
  private installSnapshot(s: Snapshot): void {
    if (this.snapshot && s.index <= this.snapshot.index) return;
    // Keep the stored suffix only if it continues the snapshot, as the core does.
    const matches = this.entries.some((e) => e.index === s.index && e.term === s.term);
    this.entries = matches ? this.entries.filter((e) => e.index > s.index) : [];
    this.snapshot = s;
    this.buffer = [];
    writeDurably(join(this.dir, 'snapshot.json'), JSON.stringify(s));
    const records: WalRecord[] = [{ h: this.hardState }, ...this.entries.map((e) => ({ e }))];
    writeDurably(join(this.dir, 'wal.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
    // The descriptor still points at the replaced file; reopen it for appends.
    closeSync(this.walFd);
    this.walFd = openSync(join(this.dir, 'wal.jsonl'), 'a');
  }

  private recover(): void {
    const snapPath = join(this.dir, 'snapshot.json');
    if (existsSync(snapPath)) this.snapshot = JSON.parse(readFileSync(snapPath, 'utf8')) as Snapshot;
    const walPath = join(this.dir, 'wal.jsonl');
    if (!existsSync(walPath)) return;
    const lines = readFileSync(walPath, 'utf8').split('\n');
    const base = this.snapshot?.index ?? 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      let rec: WalRecord;
      try {
        rec = JSON.parse(line) as WalRecord;
      } catch (err) {
        if (i >= lines.length - 2) break; // torn tail
        throw new Error(`corrupt WAL line ${i + 1}: ${String(err)}`);
      }
      if ('h' in rec) {
        this.hardState = rec.h;
        continue;
      }
      const e = rec.e;
      if (e.index <= base) continue;
      this.truncateMirror(e.index);
      const last = this.entries[this.entries.length - 1]?.index ?? base;
      if (e.index !== last + 1) throw new Error(`WAL gap: entry ${e.index} after ${last}`);
      this.entries.push(e);
    }
  }
}

function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, text);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
