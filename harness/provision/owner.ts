/**
 * Who owns a run's namespaces and links: a small record per run, written
 * before anything is created, so that `cleanAll()` can tell the leftovers of
 * a dead controller from the live cluster of a run still going on.
 * Kept under /run (a tmpfs, emptied at boot exactly like the namespaces).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OWNER_DIR = existsSync('/run') ? '/run/harness-provision' : '/tmp/harness-provision';

export interface OwnerRecord {
  runId: string;
  tag: string;
  /** Controller process id and its start time (from /proc), so a reused pid is not mistaken for it. */
  pid: number;
  pidStart: string;
  runDir: string;
}

/** Start time of a process in clock ticks since boot, or undefined when it does not exist. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses; fields after the last ')' are plain.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19]; // field 22 overall
  } catch {
    return undefined;
  }
}

export function ownerIsAlive(rec: Pick<OwnerRecord, 'pid' | 'pidStart'>): boolean {
  return processStartTime(rec.pid) === rec.pidStart;
}

export function ownerPath(tag: string): string {
  return join(OWNER_DIR, `${tag}.json`);
}

export async function writeOwner(rec: OwnerRecord): Promise<void> {
  await mkdir(OWNER_DIR, { recursive: true });
  await writeFile(ownerPath(rec.tag), JSON.stringify(rec) + '\n');
}

export function ownerOfThisProcess(runId: string, tag: string, runDir: string): OwnerRecord {
  return { runId, tag, pid: process.pid, pidStart: processStartTime(process.pid) ?? '', runDir };
}

export async function readOwners(): Promise<Map<string, OwnerRecord>> {
  const out = new Map<string, OwnerRecord>();
  let files: string[];
  try {
    files = await readdir(OWNER_DIR);
  } catch {
    return out;
  }
  for (const f of files) {
    if (!f.endsWith('.json')) continue;
    try {
      const rec = JSON.parse(await readFile(join(OWNER_DIR, f), 'utf8')) as OwnerRecord;
      if (typeof rec.tag === 'string') out.set(rec.tag, rec);
    } catch {
      // An unreadable record protects nothing; its run is treated as left behind.
    }
  }
  return out;
}

export async function removeOwner(tag: string): Promise<void> {
  await rm(ownerPath(tag), { force: true });
}
