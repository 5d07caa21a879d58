import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cleanAll } from './clean.js';
import { LocalProvisioner } from './local.js';
import { runNames } from './naming.js';
import { ownerPath, processStartTime } from './owner.js';
import { echoClusters, provisionerConformance } from './conformance.js';
import { probe } from './testing.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const why = isRoot ? '' : ' (skipped: needs root to create network namespaces)';

async function leftovers(runId: string): Promise<string[]> {
  const { tag, comment } = runNames(runId);
  const out: string[] = [];
  const ns = (await execa('ip', ['netns', 'list'])).stdout;
  for (const l of ns.split('\n')) if (l.includes(`hx-${tag}-`)) out.push(`netns ${l}`);
  const links = (await execa('ip', ['-o', 'link'])).stdout;
  for (const l of links.split('\n')) if (l.includes(tag)) out.push(`link ${l}`);
  for (const table of ['filter', 'mangle']) {
    const rules = (await execa('iptables', ['-w', '-t', table, '-S'])).stdout;
    for (const l of rules.split('\n')) if (l.includes(comment)) out.push(`rule ${l}`);
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!isRoot)(`local provisioner on this machine${why}`, () => {
  provisionerConformance({
    make: () => new LocalProvisioner(),
    leftovers,
    logsBeforeTeardown: true,
    snapshot: async (p) => (await execa('ip', ['netns', 'pids', p.netnsOf('n1')])).stdout.split('\n').filter(Boolean).map(Number),
    gone: async (_p, pids) => {
      expect((pids as number[]).length).toBeGreaterThan(0);
      for (const pid of pids as number[]) expect(alive(pid)).toBe(false);
    },
  });

  const cluster = echoClusters(() => new LocalProvisioner());

  it('cleanAll removes a crashed controller’s run and leaves a live one alone', async () => {
    const crashedId = `crash-${process.pid}-${Date.now()}`;
    const liveId = `live-${process.pid}-${Date.now()}`;
    const crashed = await cluster(['n1', 'n2'], crashedId);
    const live = await cluster(['n1'], liveId);
    const pids = (await execa('ip', ['netns', 'pids', crashed.p.netnsOf('n1')])).stdout.split('\n').filter(Boolean).map(Number);

    // The crashed run's controller is a process that has exited; the live run's is a running one.
    const exited = execa(process.execPath, ['-e', '0']);
    const deadPid = exited.pid!;
    await exited;
    const sleeper = execa('sleep', ['30'], { reject: false });
    try {
      const rewrite = async (runId: string, pid: number) => {
        const path = ownerPath(runNames(runId).tag);
        const rec = JSON.parse(await readFile(path, 'utf8'));
        await import('node:fs/promises').then((fs) => fs.writeFile(path, JSON.stringify({ ...rec, pid, pidStart: processStartTime(pid) ?? 'gone' })));
      };
      await rewrite(crashedId, deadPid);
      await rewrite(liveId, sleeper.pid!);

      const summary = await cleanAll();
      expect(summary.errors).toEqual([]);
      expect(summary.runs).toContain(crashedId);
      expect(summary.skippedLive).toContain(liveId);
      expect(summary.namespaces).toEqual(expect.arrayContaining([crashed.p.netnsOf('n1'), crashed.p.netnsOf('n2')]));
      expect(await leftovers(crashedId)).toEqual([]);
      for (const pid of pids) expect(alive(pid)).toBe(false);
      expect(await probe(live.host('n1'))).toBeDefined();
    } finally {
      sleeper.kill();
      await sleeper;
    }
    await live.p.teardown();
    expect(await leftovers(liveId)).toEqual([]);
  }, 30_000);

});
