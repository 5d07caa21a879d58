import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Entry, Ready } from '../raft/types.js';
import { DiskStorage } from './storage.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'raft-kv-storage-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cmd = (index: number, term: number, data: unknown): Entry => ({ kind: 'cmd', index, term, data });
const ready = (r: Partial<Ready>): Ready => ({ hardState: null, entries: [], snapshot: null, messages: [], committed: [], readStates: [], ...r });
const correct = { lazy: false, lazyFlushMs: 2000 };

describe('DiskStorage', () => {
  it('recovers hard state and entries, replacing a truncated suffix', async () => {
    const dir = fresh();
    const s = await DiskStorage.open(dir, correct);
    await s.persist(ready({ hardState: { term: 2, vote: 'n1' }, entries: [cmd(1, 1, 'a'), cmd(2, 1, 'b'), cmd(3, 1, 'c')] }));
    await s.persist(ready({ hardState: { term: 3, vote: null }, entries: [cmd(2, 3, 'B')] }));
    s.close();
    const back = (await DiskStorage.open(dir, correct)).durableState();
    expect(back.hardState).toEqual({ term: 3, vote: null });
    expect(back.entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 3]]);
  });

  it('ignores a torn last line left by kill -9', async () => {
    const dir = fresh();
    const s = await DiskStorage.open(dir, correct);
    await s.persist(ready({ entries: [cmd(1, 1, 'a')] }));
    s.close();
    appendFileSync(join(dir, 'wal.jsonl'), '{"e":{"kind":"cmd","ind');
    expect((await DiskStorage.open(dir, correct)).durableState().entries).toHaveLength(1);
  });

  it('rewrites the log without the entries a snapshot covers', async () => {
    const dir = fresh();
    const s = await DiskStorage.open(dir, correct);
    await s.persist(ready({ hardState: { term: 1, vote: 'n2' }, entries: [cmd(1, 1, 'a'), cmd(2, 1, 'b'), cmd(3, 1, 'c')] }));
    await s.persist(ready({ snapshot: { snapshot: { index: 2, term: 1, data: { kv: 'state' } }, origin: 'local' }, entries: [cmd(4, 1, 'd')] }));
    s.close();
    const back = (await DiskStorage.open(dir, correct)).durableState();
    expect(back.snapshot).toEqual({ index: 2, term: 1, data: { kv: 'state' } });
    expect(back.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(back.hardState).toEqual({ term: 1, vote: 'n2' });
    expect(readFileSync(join(dir, 'wal.jsonl'), 'utf8')).not.toContain('"index":1');
  });

  it('under no-fsync, acknowledges records that a crash before the flush loses', async () => {
    const dir = fresh();
    const s = await DiskStorage.open(dir, { lazy: true, lazyFlushMs: 60_000 });
    await s.persist(ready({ hardState: { term: 5, vote: 'n3' }, entries: [cmd(1, 5, 'lost')] }));
    // A kill -9 now: nothing reached the file. (close() would flush, so reopen without it.)
    const back = (await DiskStorage.open(dir, correct)).durableState();
    expect(back.entries).toEqual([]);
    expect(back.hardState.term).toBe(0);
  });
});
