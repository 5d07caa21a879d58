import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanAll } from './clean.js';
import { LocalProvisioner } from './local.js';
import { runNames } from './naming.js';
import { ownerPath, processStartTime } from './owner.js';
import { PacketFaultUnsupported } from './packet.js';
import { buildNemesis } from '../../nemeses/index.js';
import { seededRng } from '../../nemeses/rng.js';
import { echoLaunch, eventually, probe, probeScript, PROBE_PORT, SIDECAR_PORT } from './testing.js';

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
  const dirs: string[] = [];
  const provisioners: LocalProvisioner[] = [];
  afterAll(async () => {
    for (const p of provisioners) await p.teardown().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function cluster(nodes: string[], runId: string) {
    const runDir = await mkdtemp(join(tmpdir(), 'hx-test-'));
    dirs.push(runDir);
    const p = new LocalProvisioner();
    provisioners.push(p);
    const addrs = await p.setup({ runId, nodes, runDir, fakeTime: true });
    for (const a of addrs) {
      await p.start(a.name, echoLaunch(a.name, a.host));
    }
    const host = (n: string) => addrs.find((a) => a.name === n)!.host;
    for (const a of addrs) expect(await eventually(() => probe(a.host), 5000), `controller reaches ${a.name}`).toBeDefined();
    return { p, addrs, host, runDir };
  }

  it('partitions, heals, shifts clocks, kills, pauses, drops packets, and tears down without a trace', async () => {
    const runId = `itest-${process.pid}-${Date.now()}`;
    const { p, host, runDir } = await cluster(['n1', 'n2', 'n3'], runId);
    const reach = async (from: string, to: string) => (await p.exec(from, [process.execPath, '-e', probeScript(host(to))])).exitCode === 0;

    expect(await reach('n1', 'n2')).toBe(true);
    expect(p.logPaths('n1')).toEqual([join(runDir, 'nodes', 'n1', 'echo.log'), join(runDir, 'nodes', 'n1', 'sidecar.log')]);
    expect(await readFile(p.logPaths('n1')[0]!, 'utf8')).toContain('listening');

    // Partition: n1 and n2 drop each other; the controller still reaches both.
    await p.partition(new Map([['n1', new Set(['n2'])], ['n2', new Set(['n1'])]]));
    expect(await reach('n1', 'n2')).toBe(false);
    expect(await reach('n1', 'n3')).toBe(true);
    expect(await probe(host('n1'))).toBeDefined();
    expect(await probe(host('n2'))).toBeDefined();
    await p.heal();
    expect(await reach('n1', 'n2')).toBe(true);

    // Clock: a running process sees the bump at once, and a rate skew.
    await p.clock('n1', { offsetMs: 60_000, rate: 1 });
    const bumped = (await probe(host('n1')))!;
    expect(bumped.now - Date.now()).toBeGreaterThan(58_000);
    expect(bumped.now - Date.now()).toBeLessThan(62_000);
    await p.clock('n1', { offsetMs: 0, rate: 3 });
    const a = (await probe(host('n1')))!;
    const realA = Date.now();
    expect(Math.abs(a.now - realA)).toBeLessThan(1000); // no leap when the rate changes
    await new Promise((r) => setTimeout(r, 500));
    const b = (await probe(host('n1')))!;
    const realElapsed = Date.now() - realA;
    expect((b.now - a.now) / realElapsed).toBeGreaterThan(2.2);
    await p.resetClocks();
    expect(Math.abs((await probe(host('n1')))!.now - Date.now())).toBeLessThan(1000);

    // Pause: the kernel still accepts, but nobody answers; resume brings it back.
    await p.pause('n2');
    expect(await probe(host('n2'), PROBE_PORT, 500)).toBeUndefined();
    expect(await probe(host('n2'), SIDECAR_PORT, 500)).toBeUndefined();
    await p.resume('n2');
    expect(await eventually(() => probe(host('n2')))).toBeDefined();
    expect(await eventually(() => probe(host('n2'), SIDECAR_PORT))).toBeDefined();

    // Kill -9 and restart: both processes of the node, as one.
    expect(await eventually(() => probe(host('n3'), SIDECAR_PORT))).toBeDefined();
    await p.kill('n3');
    expect(p.isRunning('n3')).toBe(false);
    expect(await probe(host('n3'), PROBE_PORT, 500)).toBeUndefined();
    expect(await probe(host('n3'), SIDECAR_PORT, 500)).toBeUndefined();
    // A restart writes the launch's files that are missing and keeps those the node rewrote (Sentinel's config).
    await writeFile(join(p.dataDir('n3'), 'node.conf'), 'rewritten by the node');
    await p.start('n3', { ...echoLaunch('n3', host('n3')), files: { 'node.conf': 'as launched', 'new.conf': 'as launched' } });
    expect(await readFile(join(p.dataDir('n3'), 'node.conf'), 'utf8')).toBe('rewritten by the node');
    expect(await readFile(join(p.dataDir('n3'), 'new.conf'), 'utf8')).toBe('as launched');
    expect(p.isRunning('n3')).toBe(true);
    expect(await eventually(() => probe(host('n3')))).toBeDefined();
    expect(await eventually(() => probe(host('n3'), SIDECAR_PORT))).toBeDefined();

    // Packet loss of 100% on n1 cuts it off; clearing restores it. Without netem, delay is refused clearly.
    const support = await p.packetSupport();
    expect(support.has('loss')).toBe(true);
    await p.packet(['n1'], { loss: 1 });
    expect(await probe(host('n1'), PROBE_PORT, 500)).toBeUndefined();
    await p.clearPackets();
    expect(await eventually(() => probe(host('n1')))).toBeDefined();
    if (!support.has('delay')) {
      await expect(p.packet(['n1'], { delayMs: 50 })).rejects.toBeInstanceOf(PacketFaultUnsupported);
    } else {
      // Delay (netem, or the userspace shaper): n1's answers leave 300 ms late, and on time again once cleared.
      const timed = async () => {
        const t = performance.now();
        const r = await probe(host('n1'), PROBE_PORT, 3000);
        return r ? performance.now() - t : undefined;
      };
      await p.packet(['n1'], { delayMs: 300 });
      expect(await timed()).toBeGreaterThanOrEqual(280);
      await p.clearPackets();
      expect(await timed()).toBeLessThan(250);
    }
    await p.packet(['n1', 'n2'], { duplicate: 0.5 });
    expect(await eventually(() => probe(host('n1')))).toBeDefined();
    await p.clearPackets();

    const pids = (await execa('ip', ['netns', 'pids', p.netnsOf('n1')])).stdout.split('\n').filter(Boolean).map(Number);
    expect(pids.length).toBeGreaterThan(0);
    await p.teardown();
    await p.teardown(); // idempotent
    expect(await leftovers(runId)).toEqual([]);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  }, 30_000);

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

  it('a composed nemesis acts on real nodes and healAll leaves a healthy cluster', async () => {
    const runId = `nemesis-${process.pid}-${Date.now()}`;
    const { p, host } = await cluster(['n1', 'n2', 'n3'], runId);
    const restart = (n: string) => p.start(n, echoLaunch(n, host(n)));
    const nemesis = buildNemesis(['partition:one', 'kill:one', 'pause:one', 'clock:bump', 'packet:loss'], {
      provisioner: p,
      nodes: ['n1', 'n2', 'n3'],
      rng: seededRng(11),
      leader: async () => undefined,
      listening: async (n) => (await probe(host(n), PROBE_PORT, 200)) !== undefined,
      restart,
      packetKinds: await p.packetSupport(),
    });
    const done: unknown[] = [];
    for (const fault of nemesis.faults) {
      const op = fault.start();
      done.push({ f: op.f, value: await nemesis.invoke(op) });
    }
    await nemesis.healAll();
    for (const n of ['n1', 'n2', 'n3']) {
      const reply = await eventually(() => probe(host(n)));
      expect(reply, `${n} answers after healAll (ops: ${JSON.stringify(done)})`).toBeDefined();
      expect(Math.abs(reply!.now - Date.now())).toBeLessThan(1000);
    }
    await p.teardown();
    expect(await leftovers(runId)).toEqual([]);
  }, 30_000);
});
