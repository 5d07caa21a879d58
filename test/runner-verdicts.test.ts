/**
 * The runner's verdicts, on a target and provisioner in memory: valid only
 * when the run looked; unknown, with the reason, when it did not; invalid on
 * a liveness failure; an error of the harness stops the run as such.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InternalError, SetupError } from '../harness/errors.js';
import type { TestSpec } from '../harness/run-record.js';
import { runTest } from '../harness/runner/run.js';
import { FakeProvisioner, fakeTarget, MemoryCluster, type FakeSwitches } from './fakes.js';

const store = mkdtempSync(join(tmpdir(), 'harness-verdicts-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

function spec(over: Partial<TestSpec> = {}): TestSpec {
  return {
    target: 'memory',
    workload: 'register',
    nemesis: [],
    nemesisInterval: 0.2,
    nodes: 3,
    concurrency: 4,
    rate: 400,
    timeLimit: 1,
    recoveryTimeout: 1,
    seed: 1,
    provisioner: 'local',
    bugs: [],
    options: {},
    store,
    ...over,
  };
}

async function run(over: Partial<TestSpec> = {}, s: FakeSwitches = {}, interrupt = new AbortController()) {
  const cluster = new MemoryCluster();
  return runTest(spec(over), { log: () => undefined, interrupt: interrupt.signal }, { target: fakeTarget(cluster, s), provisioner: new FakeProvisioner(cluster, s) });
}

describe('the verdict of a run', () => {
  it('is valid when the run looked: every kind of op succeeded, the faults were applied, the final reads happened', async () => {
    const { results, runDir } = await run({ nemesis: ['kill'] });
    expect(results.reasons).toEqual([]);
    expect(results.valid).toBe(true);
    expect(results.stats.ops['read']!.ok).toBeGreaterThan(0);
    expect(results.stats.faults['kill']).toMatchObject({ asked: true, failed: 0 });
    expect(results.stats.faults['kill']!.applied).toBeGreaterThan(0);
    expect(results.stats.finals.asked).toBeGreaterThan(0);
    expect(results.stats.finals.ok).toBe(results.stats.finals.asked);
    expect(results.recovery).toMatchObject({ served: true });
    expect(JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')).valid).toBe(true);
  });

  it('is unknown when no operation succeeded, saying which kinds never did', async () => {
    const { results } = await run({}, { refuseAll: true });
    expect(results.valid).toBe('unknown');
    expect(results.checkers['linearizable']).toMatchObject({ valid: 'unknown', summary: 'unknown: no operation completed ok: nothing to check' });
    for (const kind of ['read', 'write', 'cas']) expect(results.reasons).toContainEqual(expect.stringMatching(new RegExp(`^no ${kind} ever succeeded \\(\\d+ failed, 0 unknown, 0 open\\)$`)));
    expect(results.reasons).toContain('only 0 client operations succeeded; a run needs at least 20');
    expect(results.reasons).toContainEqual(expect.stringMatching(/final operations never succeeded/));
  });

  it('does not start testing a cluster that never serves: a setup error, and no run folder left', async () => {
    const cluster = new MemoryCluster();
    cluster.wedged = true;
    const runs = () => readdirSync(join(store, 'memory')).length;
    const before = runs();
    const err = await runTest(spec(), { log: () => undefined, interrupt: new AbortController().signal }, { target: fakeTarget(cluster), provisioner: new FakeProvisioner(cluster), readyTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SetupError);
    expect((err as Error).message).toMatch(/did not start serving within 0.3 s/);
    expect(runs()).toBe(before);
  });

  it('is unknown when a client throws: a harness error, counted, never an info op', async () => {
    const { results, runDir } = await run({}, { throwOn: 'read' });
    expect(results.valid).toBe('unknown');
    expect(results.reason).toMatch(/harness errors? \(first, in client of n\d: read \[\d+,null\]: cannot read properties/);
    expect(results.reasons).toContainEqual(expect.stringMatching(/^no read ever succeeded \(0 failed, 0 unknown, \d+ open\)$/));
    expect(results.harnessErrors.count).toBeGreaterThan(0);
    const history = readFileSync(join(runDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(history.filter((o) => o.f === 'read' && o.type !== 'invoke' && o.process !== 'nemesis')).toEqual([]);
    expect(readFileSync(join(runDir, 'harness.log'), 'utf8')).toMatch(/TypeError: cannot read properties[^\n]*\n\s+at /);
  });

  it('is unknown when a fault asked for was never applied, with the error', async () => {
    const { results } = await run({ nemesis: ['partition:one'] }, { partitionFails: true });
    expect(results.valid).toBe('unknown');
    expect(results.reason).toMatch(/^partition faults were asked for but never applied: all \d+ attempts failed \(iptables: command not found\)$/);
    expect(results.stats.failedFaultOps[0]).toMatchObject({ f: 'start-partition', error: 'iptables: command not found', partial: false });
  });

  it('is unknown when a fault asked for was never started within the time limit', async () => {
    const { results } = await run({ nemesis: ['kill'], nemesisInterval: 60 });
    expect(results.valid).toBe('unknown');
    expect(results.reason).toMatch(/kill faults were asked for but none was started before the time limit/);
  });

  it('is invalid, as liveness, when the cluster does not serve again after the heal', async () => {
    const { results } = await run({ nemesis: ['kill:one'] }, { killWedges: true });
    expect(results.valid).toBe(false);
    expect(results.recovery).toEqual({ served: false, deadlineMs: 1000 });
    expect(results.reason).toBe('liveness: the cluster did not serve again within 1 s of the final heal');
    expect(results.checkers['linearizable']!.valid).not.toBe(false); // safety held: it is liveness that failed
  });

  it('is unknown when interrupted, unless an anomaly was already found', async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 300);
    const { results } = await run({ timeLimit: 30 }, {}, interrupt);
    expect(results.valid).toBe('unknown');
    expect(results.reasons).toContain('interrupted (Ctrl-C) before the time limit');
  });

  it('stops with an internal error when the harness itself fails, and still writes what it knows', async () => {
    const err = await run({}, { finalOpsThrow: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalError);
    expect((err as InternalError).message).toMatch(/final ops exploded/);
    const log = readFileSync((err as InternalError).logPath!, 'utf8');
    expect(log).toMatch(/Error: final ops exploded\n\s+at /);
    const results = JSON.parse(readFileSync(join((err as InternalError).logPath!, '..', 'results.json'), 'utf8'));
    expect(results).toMatchObject({ valid: 'unknown', reason: expect.stringMatching(/^harness error: final ops exploded/) });
  });
});
