import { describe, expect, it } from 'vitest';
import { UsageError } from '../harness/errors.js';
import type { ClockFault, Grudge, PacketFault, PacketFaultKind, Provisioner } from '../harness/provision/types.js';
import { buildNemesis, NemesisHealError, parseNemesisNames, PartialFaultError, unsupportedPacketKinds, type Nemesis, type NemesisContext } from './index.js';
import { seededRng } from './rng.js';

/** A provisioner that only records what it was asked, with node state in memory. */
class FakeProvisioner implements Provisioner {
  readonly kind = 'local' as const;
  calls: string[] = [];
  running = new Set(['n1', 'n2', 'n3', 'n4', 'n5']);
  failHeal = false;
  constructor(private kinds: PacketFaultKind[] = ['loss', 'duplicate']) {}
  async setup() {
    return [];
  }
  async start(n: string) {
    this.running.add(n);
    this.calls.push(`start ${n}`);
  }
  async stop(n: string) {
    this.running.delete(n);
  }
  async kill(n: string, s?: string) {
    this.running.delete(n);
    this.calls.push(`kill ${n} ${s}`);
  }
  async pause(n: string) {
    this.calls.push(`pause ${n}`);
  }
  async resume(n: string) {
    this.calls.push(`resume ${n}`);
  }
  isRunning(n: string) {
    return this.running.has(n);
  }
  async partition(g: Grudge) {
    this.calls.push(`partition ${JSON.stringify([...g].map(([k, v]) => [k, [...v]]))}`);
  }
  async heal() {
    this.calls.push('heal');
    if (this.failHeal) throw new Error('iptables exploded');
  }
  async clock(n: string, f: ClockFault) {
    this.calls.push(`clock ${n} ${f.offsetMs} x${f.rate}`);
  }
  async resetClocks() {
    this.calls.push('resetClocks');
  }
  async packet(nodes: readonly string[], f: PacketFault) {
    this.calls.push(`packet ${nodes.join(',')} ${JSON.stringify(f)}`);
  }
  async clearPackets() {
    this.calls.push('clearPackets');
  }
  async packetSupport() {
    return new Set(this.kinds);
  }
  async exec() {
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  logPaths(n: string) {
    return [`/dev/null/${n}`];
  }
  dataDir(n: string) {
    return `/dev/null/${n}/data`;
  }
  async teardown() {}
}

/** The start and the stop of a nemesis made of one fault. */
const start = (n: Nemesis) => n.faults[0]!.start();
const stop = (n: Nemesis) => n.faults[0]!.stop();

function context(p: FakeProvisioner, over: Partial<NemesisContext> = {}): NemesisContext {
  return {
    provisioner: p,
    nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
    rng: seededRng(99),
    leader: async () => 'n4',
    restart: (n) => p.start(n),
    listening: async (n) => p.isRunning(n),
    sleep: async () => undefined,
    clock: { strobeDurationMs: 5 },
    ...over,
  };
}

describe('buildNemesis', () => {
  it('rejects unknown names with the list of valid ones', () => {
    expect(() => buildNemesis(['partition', 'meteor'], context(new FakeProvisioner()))).toThrow(UsageError);
    expect(() => buildNemesis(['meteor'], context(new FakeProvisioner()))).toThrow(/valid: none, partition\[:one\|halves/);
    expect(() => buildNemesis(['partition:triangle'], context(new FakeProvisioner()))).toThrow(/valid: one, halves, majority/);
    expect([...parseNemesisNames(['partition:one,kill', 'partition:bridge'])]).toEqual([
      ['partition', ['one', 'bridge']],
      ['kill', []],
    ]);
  });

  it('none has no fault', () => {
    const n = buildNemesis(['none'], context(new FakeProvisioner()));
    expect(n.faults).toEqual([]);
  });

  it('starts and stops, and records what it did', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['partition'], context(p));
    for (let i = 0; i < 3; i++) {
      expect(await n.invoke(start(n))).toMatchObject({ grudge: expect.any(Object), topology: expect.any(String) });
      const s = stop(n);
      expect(s.f).toBe('stop-partition');
      expect(await n.invoke(s)).toBe('healed');
    }
  });

  it('gives each fault its own randomness: what one draws does not change what another draws', () => {
    const alone = buildNemesis(['partition', 'kill'], context(new FakeProvisioner(), { rng: seededRng(7) }));
    const busy = buildNemesis(['partition', 'kill'], context(new FakeProvisioner(), { rng: seededRng(7) }));
    for (let i = 0; i < 5; i++) busy.faults[0]!.start();
    expect(busy.faults[1]!.start()).toEqual(alone.faults[1]!.start());
  });

  it('primaries isolates the leader the target names', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['partition:primaries'], context(p));
    const done = (await n.invoke(start(n))) as { leader: string; grudge: Record<string, string[]> };
    expect(done.leader).toBe('n4');
    expect(done.grudge.n4).toEqual(['n1', 'n2', 'n3', 'n5']);
  });

  it('kills then restarts the same nodes; pauses then resumes them', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['kill:majority'], context(p));
    const kill = start(n);
    expect(kill.f).toBe('kill');
    const killed = (await n.invoke(kill)) as string[];
    expect(killed.length).toBeGreaterThanOrEqual(3);
    for (const k of killed) expect(p.isRunning(k)).toBe(false);
    const restart = stop(n);
    expect(restart).toEqual({ f: 'start', value: killed });
    await n.invoke(restart);
    for (const k of killed) expect(p.isRunning(k)).toBe(true);

    const q = buildNemesis(['pause:one'], context(p));
    const pause = start(q);
    expect(pause.f).toBe('pause');
    await q.invoke(pause);
    expect(stop(q)).toEqual({ f: 'resume', value: pause.value });
  });

  it('kill and pause aim at the primary the target names when performed', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['kill:primaries'], context(p));
    const kill = start(n);
    expect(kill).toEqual({ f: 'kill', value: 'primaries' });
    expect(await n.invoke(kill)).toEqual(['n4']);
    expect(p.isRunning('n4')).toBe(false);
    expect(stop(n)).toEqual({ f: 'start', value: ['n4'] });
    const q = buildNemesis(['pause:primaries'], context(p, { leader: async () => undefined }));
    const paused = (await q.invoke(start(q))) as string[];
    expect(paused).toHaveLength(1); // no primary known: one node all the same
  });

  it('a kill that fails on some nodes says which, and its stop restarts only those it killed', async () => {
    const p = new FakeProvisioner();
    p.kill = async (x: string) => {
      if (x === 'n2') throw new Error('survived SIGKILL');
      p.running.delete(x);
    };
    const n = buildNemesis(['kill'], context(p));
    const err = await n.invoke({ f: 'kill', value: ['n1', 'n2'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFaultError);
    expect((err as PartialFaultError).done).toEqual(['n1']);
    expect((err as PartialFaultError).message).toMatch(/kill n2: survived SIGKILL/);
    expect(stop(n)).toEqual({ f: 'start', value: ['n1'] });
    await expect(n.invoke({ f: 'kill', value: ['n2'] })).rejects.not.toBeInstanceOf(PartialFaultError);
  });

  it('clock faults record offsets and rates, strobe flips and ends at real time', async () => {
    const p = new FakeProvisioner();
    for (const variant of ['bump', 'skew', 'strobe']) {
      const n = buildNemesis([`clock:${variant}`], context(p, { rng: seededRng(5) }));
      const op = start(n);
      expect(op.f).toBe(`${variant}-clock`);
      const done = await n.invoke(op);
      expect(done).toBeTruthy();
      expect(stop(n).f).toBe('reset-clock');
    }
    expect(p.calls.some((c) => / x(?!1$)[\d.]+$/.test(c))).toBe(true); // a skewed rate
    expect(p.calls.filter((c) => c.startsWith('clock')).at(-1)).toMatch(/ 0 x1$/); // strobe ends at real time
  });

  it('slow-primary slows the clock of whoever leads when it is performed', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['clock:slow-primary'], context(p));
    const op = start(n);
    expect(op).toMatchObject({ f: 'skew-clock', value: { target: 'primary' } });
    const done = (await n.invoke(op)) as Record<string, number>;
    expect(Object.keys(done)).toEqual(['n4']);
    expect(done['n4']).toBeGreaterThanOrEqual(0.25);
    expect(done['n4']).toBeLessThanOrEqual(0.5);
  });

  it('rewind-primary sets back the clock of whoever leads when it is performed', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['clock:rewind-primary'], context(p));
    const op = start(n);
    expect(op).toMatchObject({ f: 'bump-clock', value: { target: 'primary' } });
    const done = (await n.invoke(op)) as Record<string, number>;
    expect(Object.keys(done)).toEqual(['n4']);
    expect(done['n4']!).toBeLessThanOrEqual(-2000);
  });

  it('a plain clock draws from the kinds the target chose; named variants win over them', async () => {
    const chosen = context(new FakeProvisioner(), { clockFaults: ['rewind-primary'] });
    const plain = buildNemesis(['clock'], chosen);
    for (let i = 0; i < 4; i++) expect(start(plain)).toMatchObject({ f: 'bump-clock', value: { target: 'primary' } });
    const named = buildNemesis(['clock:skew'], context(new FakeProvisioner(), { clockFaults: ['rewind-primary'] }));
    expect(start(named).f).toBe('skew-clock');
  });

  it('packet faults fall back to a supported kind and say so', async () => {
    const p = new FakeProvisioner(['loss']);
    const n = buildNemesis(['packet:delay,packet:loss'], context(p, { rng: seededRng(3) }));
    for (let i = 0; i < 3; i++) {
      expect(((await n.invoke(start(n))) as { kind?: string }).kind).toBe('loss');
      await n.invoke(stop(n));
    }
  });

  it('healAll runs every step even when one fails, then reports the failure', async () => {
    const p = new FakeProvisioner();
    p.failHeal = true;
    const n = buildNemesis(['kill:all', 'partition'], context(p));
    const kill = { f: 'kill', value: ['n1', 'n2', 'n3', 'n4', 'n5'] };
    await n.invoke(kill);
    await expect(n.healAll()).rejects.toBeInstanceOf(NemesisHealError);
    expect(p.calls).toContain('heal');
    expect(p.calls).toContain('clearPackets');
    expect(p.calls).toContain('resetClocks');
    expect(p.calls).toContain('resume n3');
    for (const x of ['n1', 'n2', 'n3', 'n4', 'n5']) expect(p.isRunning(x)).toBe(true);
  });
});

describe('unsupportedPacketKinds', () => {
  const withoutNetem = new Set<PacketFaultKind>(['loss', 'duplicate']);
  it('names the asked kinds the machine cannot apply', () => {
    expect(unsupportedPacketKinds(['packet:delay'], withoutNetem)).toEqual({ asked: ['delay'], missing: ['delay'] });
    expect(unsupportedPacketKinds(['partition,packet:loss,packet:reorder'], withoutNetem)).toEqual({ asked: ['loss', 'reorder'], missing: ['reorder'] });
  });
  it('reads plain packet as every kind, and ignores runs without packet faults', () => {
    expect(unsupportedPacketKinds(['packet'], withoutNetem).missing).toEqual(['delay', 'reorder', 'corrupt']);
    expect(unsupportedPacketKinds(['partition', 'kill'], withoutNetem)).toEqual({ asked: [], missing: [] });
  });
  it('counts the delay the election nemesis needs', () => {
    expect(unsupportedPacketKinds(['election'], withoutNetem)).toEqual({ asked: ['delay'], missing: ['delay'] });
  });
});

describe('the split-vote election fault', () => {
  it('cuts the sides apart around a voter that is not the leader, and bounces the voter while its vote is in flight', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['election:split-vote'], context(p));
    const op = start(n);
    expect(op.f).toBe('start-split-vote');
    const done = (await n.invoke(op)) as { voter: string; sides: string[][] };
    expect(done.voter).not.toBe('n4');
    expect([...done.sides[0]!, ...done.sides[1]!, done.voter].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const v = done.voter;
    const steps = p.calls.filter((c) => !c.startsWith('partition') || c.includes(v)).map((c) => (c.startsWith('partition') ? 'partition' : c));
    expect(steps).toEqual([
      `kill ${v} SIGKILL`,
      'partition',
      `start ${v}`,
      `pause ${v}`,
      expect.stringMatching(new RegExp(`^packet ${v}`)),
      `resume ${v}`,
      `kill ${v} SIGKILL`,
      `start ${v}`,
    ]);
    expect(p.isRunning(v)).toBe(true);
    expect(stop(n).f).toBe('stop-split-vote');
  });

  it('needs three nodes', () => {
    expect(() => buildNemesis(['election'], context(new FakeProvisioner(), { nodes: ['n1', 'n2'] }))).toThrow(UsageError);
  });
});

describe('the cold-start election fault', () => {
  it('cuts the leader off, kills every node, delays them all, starts the leader first with a bare majority, then the rest; its stop clears the delay', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['election:cold-start'], context(p));
    const op = start(n);
    expect(op.f).toBe('start-cold-start');
    const plan = (await n.invoke(op)) as { leader: string; firstWave: string[]; secondWave: string[]; delayMs: number; elected: boolean };
    expect(plan).toMatchObject({ leader: 'n4', delayMs: 100, elected: true });
    expect(plan.firstWave).toHaveLength(2);
    expect([plan.leader, ...plan.firstWave, ...plan.secondWave].sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const others = [...plan.firstWave, ...plan.secondWave];
    expect(p.calls).toEqual([
      `partition ${JSON.stringify([['n4', others], ...others.map((x) => [x, ['n4']])])}`,
      ...['n4', ...others].map((x) => `kill ${x} SIGKILL`),
      'heal',
      'packet n1,n2,n3,n4,n5 {"delayMs":100}',
      ...['n4', ...plan.firstWave, ...plan.secondWave].map((x) => `start ${x}`),
    ]);
    expect(['n1', 'n2', 'n3', 'n4', 'n5'].every((x) => p.isRunning(x))).toBe(true);
    const end = stop(n);
    expect(end.f).toBe('stop-cold-start');
    await n.invoke(end);
    expect(p.calls.at(-1)).toBe('clearPackets');
  });

  it('starts every node again even when a kill fails', async () => {
    const p = new FakeProvisioner();
    p.kill = async (x: string) => {
      p.running.delete(x);
      if (x === 'n3') throw new Error('survived SIGKILL');
    };
    const n = buildNemesis(['election:cold-start'], context(p));
    await expect(n.invoke(start(n))).rejects.toThrow(/kill n3: survived SIGKILL/);
    expect(['n1', 'n2', 'n3', 'n4', 'n5'].every((x) => p.isRunning(x))).toBe(true);
  });

  it('plain election means both choreographies, and healAll heals each', async () => {
    const p = new FakeProvisioner();
    const n = buildNemesis(['election'], context(p));
    expect([...n.fs].sort()).toEqual(['start-cold-start', 'start-split-vote', 'stop-cold-start', 'stop-split-vote']);
    p.running.delete('n2');
    await n.healAll();
    expect(p.isRunning('n2')).toBe(true);
    expect(p.calls.filter((c) => c === 'clearPackets').length).toBeGreaterThanOrEqual(2);
  });
});
