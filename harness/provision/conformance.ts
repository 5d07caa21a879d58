/**
 * What every provisioner must do on a real machine, the same way: the
 * primitives the nemeses act through (partition, heal, clock, pause, kill
 * and restart, packet faults), a composed nemesis, and a teardown that
 * leaves nothing behind. `local.test.ts` and `docker/docker.test.ts` run it
 * on their provisioner; nothing here knows which one it is.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildNemesis } from '../../nemeses/index.js';
import { seededRng } from '../../nemeses/rng.js';
import { NODE } from '../target.js';
import { PacketFaultUnsupported } from './packet.js';
import { echoLaunch, eventually, probe, probeScript, PROBE_PORT, SIDECAR_PORT } from './testing.js';
import type { Provisioner } from './types.js';

export interface ConformanceSubject<P extends Provisioner> {
  make(): P;
  /** What of the run is still on the machine (or the engine), one line each. */
  leftovers(runId: string): Promise<string[]>;
  /** Checks after teardown beyond leftovers (e.g. that node processes died). */
  gone?(p: P, before: unknown): Promise<void>;
  /** Taken before teardown, handed to `gone`. */
  snapshot?(p: P): Promise<unknown>;
  /** Whether the logs are on the controller before teardown (local) or only after (docker copies them out). */
  logsBeforeTeardown: boolean;
}

/**
 * Clusters of echo nodes (testing.ts) on provisioners from `make`, each node
 * reachable from the controller once `cluster` resolves; every provisioner
 * is torn down and every run folder removed after the file's tests.
 */
export function echoClusters<P extends Provisioner>(make: () => P) {
  const dirs: string[] = [];
  const provisioners: P[] = [];
  afterAll(async () => {
    for (const p of provisioners) await p.teardown().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  return async function cluster(nodes: string[], runId: string) {
    const runDir = await mkdtemp(join(tmpdir(), 'hx-test-'));
    dirs.push(runDir);
    const p = make();
    provisioners.push(p);
    const addrs = await p.setup({ runId, nodes, runDir, fakeTime: true });
    for (const a of addrs) {
      await p.start(a.name, echoLaunch(a.name, a.host));
    }
    const host = (n: string) => addrs.find((a) => a.name === n)!.host;
    for (const a of addrs) expect(await eventually(() => probe(a.host), 5000), `controller reaches ${a.name}`).toBeDefined();
    return { p, addrs, host, runDir };
  };
}

export function provisionerConformance<P extends Provisioner>(subject: ConformanceSubject<P>, timeoutMs = 30_000): void {
  const cluster = echoClusters(() => subject.make());

  it('partitions, heals, shifts clocks, kills, pauses, drops packets, and tears down without a trace', async () => {
    const runId = `itest-${process.pid}-${Date.now()}`;
    const { p, host, runDir } = await cluster(['n1', 'n2', 'n3'], runId);
    const reach = async (from: string, to: string) => (await p.exec(from, [NODE, '-e', probeScript(host(to))])).exitCode === 0;

    expect(await reach('n1', 'n2')).toBe(true);
    expect(p.logPaths('n1')).toEqual([join(runDir, 'nodes', 'n1', 'echo.log'), join(runDir, 'nodes', 'n1', 'sidecar.log')]);
    if (subject.logsBeforeTeardown) expect(await readFile(p.logPaths('n1')[0]!, 'utf8')).toContain('listening');

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
    // A restart writes the launch's files that are missing and keeps those the node rewrote (as Sentinel rewrites its config).
    const inData = (file: string) => join(p.dataDir('n3'), file);
    expect((await p.exec('n3', ['sh', '-c', `echo rewritten by the node > ${inData('node.conf')}`])).exitCode).toBe(0);
    await p.start('n3', { ...echoLaunch('n3', host('n3')), files: { 'node.conf': 'as launched', 'new.conf': 'as launched' } });
    expect((await p.exec('n3', ['cat', inData('node.conf')])).stdout.trim()).toBe('rewritten by the node');
    expect((await p.exec('n3', ['cat', inData('new.conf')])).stdout.trim()).toBe('as launched');
    expect(p.isRunning('n3')).toBe(true);
    expect(await eventually(() => probe(host('n3')))).toBeDefined();
    expect(await eventually(() => probe(host('n3'), SIDECAR_PORT))).toBeDefined();

    // Packet loss of 100% on n1 cuts it off; clearing restores it. Without netem, delay is refused clearly.
    const support = await p.packetSupport!();
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

    const before = await subject.snapshot?.(p);
    await p.teardown();
    await p.teardown(); // idempotent
    expect(await subject.leftovers(runId)).toEqual([]);
    await subject.gone?.(p, before);
    // The node's logs are in the run's folder on the controller.
    expect(await readFile(p.logPaths('n1')[0]!, 'utf8')).toContain('listening');
  }, timeoutMs);

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
      packetKinds: await p.packetSupport!(),
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
    expect(await subject.leftovers(runId)).toEqual([]);
  }, timeoutMs);
}
