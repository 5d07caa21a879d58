/**
 * Start raft-kv nodes as child processes on loopback addresses (for tests
 * and the benchmark), and stop them again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostCommand } from '../../harness/project.js';
import type { ClusterLayout, NodeAddress } from '../../harness/target.js';
import { raftKv } from './index.js';

export interface LocalCluster {
  layout: ClusterLayout;
  root: string;
  start(name: string): void;
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  stopAll(): Promise<void>;
}

const RUN = { bugs: [], options: {} };

/** `hosts` e.g. ['127.0.0.11', '127.0.0.12', '127.0.0.13']; node i is named n{i+1}. */
export function localCluster(hosts: readonly string[], opts: { readMode?: string; bugs?: string[]; keepData?: boolean; extraArgs?: string[] } = {}): LocalCluster {
  const root = mkdtempSync(join(tmpdir(), 'raft-kv-'));
  const nodes: NodeAddress[] = hosts.map((host, i) => ({ name: `n${i + 1}`, host }));
  const layout: ClusterLayout = { nodes };
  const procs = new Map<string, ChildProcess>();
  const start = (name: string) => {
    const node = nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    const launch = raftKv.launch(node, layout, { bugs: opts.bugs ?? [], options: { 'read-mode': opts.readMode ?? 'log' } }, join(root, name));
    const { file, args, cwd } = hostCommand(launch.processes[0]!);
    const logFd = openSync(join(root, `${name}.log`), 'a');
    const p = spawn(file, [...args, ...(opts.extraArgs ?? [])], { cwd, stdio: ['ignore', 'ignore', logFd] });
    closeSync(logFd);
    procs.set(name, p);
  };
  const kill = (name: string, signal: NodeJS.Signals = 'SIGKILL') =>
    new Promise<void>((resolve) => {
      const p = procs.get(name);
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
        p.kill(signal);
        return resolve();
      }
      p.once('exit', () => resolve());
      // A stopped process must be continued to die of anything but SIGKILL.
      p.kill(signal);
      if (signal !== 'SIGKILL') p.kill('SIGCONT');
    });
  for (const n of nodes) start(n.name);
  return {
    layout,
    root,
    start,
    kill,
    async stopAll() {
      await Promise.all(nodes.map((n) => kill(n.name)));
      if (!opts.keepData) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Poll until some node claims leadership. */
export async function waitForLeader(layout: ClusterLayout, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [l] = await raftKv.primaries!(layout, RUN, { timeoutMs: 300 });
    if (l) return l;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no leader within ${timeoutMs} ms`);
}
