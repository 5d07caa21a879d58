/**
 * The store: one folder per run, store/latest pointing at the newest, and
 * store/index.html listing them all.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunResults, TestSpec } from './run-record.js';

export interface RunDir {
  runId: string;
  path: string;
}

function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export function createRunDir(spec: TestSpec, now = new Date()): RunDir {
  const runId = `${timestamp(now)}-${randomBytes(3).toString('hex')}`;
  const path = join(spec.store, spec.target, runId);
  mkdirSync(join(path, 'nodes'), { recursive: true });
  return { runId, path };
}

/** Write a file whole or not at all (a reader never sees half of it). */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function pointLatest(store: string, runPath: string): void {
  const link = join(store, 'latest');
  const tmp = `${link}.${process.pid}`;
  symlinkSync(relative(store, runPath), tmp);
  renameSync(tmp, link);
}

export interface StoredRun {
  /** Relative to the store root. */
  path: string;
  spec: TestSpec;
  results: RunResults | undefined;
}

/** Every run under the store, newest first. */
export function listRuns(store: string): StoredRun[] {
  const runs: StoredRun[] = [];
  if (!existsSync(store)) return runs;
  for (const target of readdirSync(store, { withFileTypes: true })) {
    if (!target.isDirectory()) continue;
    for (const run of readdirSync(join(store, target.name), { withFileTypes: true })) {
      const dir = join(store, target.name, run.name);
      if (!run.isDirectory() || !existsSync(join(dir, 'test.json'))) continue;
      try {
        const spec = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8')).spec as TestSpec;
        const resultsPath = join(dir, 'results.json');
        const results = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as RunResults) : undefined;
        runs.push({ path: relative(store, dir), spec, results });
      } catch {
        // A run folder being written, or damaged: leave it out of the index.
      }
    }
  }
  return runs.sort((a, b) => (a.path.split('/')[1]! < b.path.split('/')[1]! ? 1 : -1));
}

export function removeIfExists(path: string): void {
  if (existsSync(path)) unlinkSync(path);
}
