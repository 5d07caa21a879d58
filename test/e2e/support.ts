/** Running the built CLI end to end, and finding what a run left on the machine. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostLeftovers } from '../../harness/provision/docker/testing.js';
import { runNames } from '../../harness/provision/naming.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = join(root, 'dist/harness/cli.js');
export const isRoot = process.getuid?.() === 0;

export function newStore(): string {
  return mkdtempSync(join(tmpdir(), 'harness-store-'));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function harness(args: string[], timeoutMs = 240_000, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startHarness(args: string[]): ChildProcess {
  return spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The run folder store/latest points at. */
export function latestRun(store: string): string {
  return resolve(store, readlinkSync(join(store, 'latest')));
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function historyLines(runDir: string): number {
  const p = join(runDir, 'history.jsonl');
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n').length - 1 : 0;
}

/** Everything of one run still on the machine: namespaces, links, root iptables rules, node processes. */
export function leftovers(runDir: string): string[] {
  const runId = runDir.split('/').at(-1)!;
  const names = runNames(runId);
  const out: string[] = [];
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const l of netns.split('\n')) if (l.startsWith(`hx-${names.tag}-`)) out.push(`netns ${l}`);
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const l of links.split('\n')) if (l.includes(names.tag)) out.push(`link ${l.split(':')[1]?.trim()}`);
  for (const table of ['filter', 'nat', 'mangle']) {
    const rules = spawnSync('iptables-save', ['-t', table], { encoding: 'utf8' }).stdout ?? '';
    for (const l of rules.split('\n')) if (l.includes(names.comment)) out.push(`iptables ${l}`);
  }
  const procs = spawnSync('pgrep', ['-af', runDir], { encoding: 'utf8' }).stdout ?? '';
  for (const l of procs.split('\n')) if (l.trim() && !l.includes('pgrep')) out.push(`process ${l}`);
  return [...out, ...dockerLeftovers(runId)];
}

/** A docker run's containers and networks in the engine (when one answers), its bridge and iptables rules on this host. */
export function dockerLeftovers(runId: string): string[] {
  const out: string[] = [];
  for (const [what, args] of [
    ['container', ['ps', '-a', '--format', '{{.Names}}']],
    ['network', ['network', 'ls', '--format', '{{.Name}}']],
  ] as const) {
    const r = spawnSync('docker', [...args, '--filter', `label=io.harness.run=${runId}`], { encoding: 'utf8' });
    if (r.status === 0) for (const l of r.stdout.split('\n')) if (l.trim()) out.push(`${what} ${l.trim()}`);
  }
  return [...out, ...hostLeftovers(runId)];
}

/** Whether a Docker engine answers here. */
export const hasDocker = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 10_000 }).status === 0;

/** Wait until a run other than `before` is the store's latest and has recorded some ops; its folder. */
export async function newRunRecording(store: string, before: string | undefined, timeoutMs = 120_000): Promise<string> {
  let run = '';
  await waitFor('a new run to record ops', () => {
    try {
      run = latestRun(store);
      return run !== before && historyLines(run) > 300;
    } catch {
      return false;
    }
  }, timeoutMs);
  return run;
}

/** The store's latest run, if any. */
export function currentLatest(store: string): string | undefined {
  try {
    return latestRun(store);
  } catch {
    return undefined;
  }
}
