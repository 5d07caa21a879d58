/**
 * The dynamo target end to end on the local provisioner: the scenarios of
 * its issue, each a short run asserting which checker found what (not only
 * the exit status). Needs root, like the provisioner.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, isRoot, latestRun, leftovers, newStore, readJson } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));

/** A short run with faults every ~2 s; its results.json. */
function run(args: string[], timeLimit = 12): { status: number | null; results: any; stdout: string } {
  const r = harness(['test', '--target', 'dynamo', '--nemesis-interval', '2', '--time-limit', String(timeLimit), '--seed', '5', '--store', store, ...args]);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const dir = latestRun(store);
  expect(leftovers(dir)).toEqual([]);
  return { status: r.status, results: readJson(join(dir, 'results.json')), stdout: r.stdout };
}

describe.skipIf(!isRoot)('harness test on the dynamo target', () => {
  it('W + R > N under partitions: every quorum read is fresh (some requests unavailable)', () => {
    const { status, results } = run(['--workload', 'register', '--n', '3', '--w', '2', '--r', '2', '--nemesis', 'partition']);
    expect(status).toBe(0);
    expect(results.checkers.quorum).toMatchObject({ valid: true, details: { staleCount: 0 } });
    expect(results.checkers.quorum.details.readsChecked).toBeGreaterThan(300);
    expect(results.checkers.consistency.details.highest).toBe('strong');
  });

  it('W + R <= N under partitions: stale reads found, each with the write it missed; reported, not failed', () => {
    const { status, results } = run(['--n', '3', '--w', '1', '--r', '1', '--nemesis', 'partition']);
    expect(status).toBe(0);
    const q = results.checkers.quorum.details;
    expect(q.notPromised).toBe(true);
    expect(q.staleCount).toBeGreaterThan(0);
    expect(q.stale[0].missed.value).toEqual(expect.any(Number));
    // How stale, in ms (to 0.1 ms: a read that began right after the write it missed shows 0).
    expect(Math.max(...q.stale.map((x: { staleMs: number }) => x.staleMs))).toBeGreaterThan(0);
    expect(results.checkers.consistency.summary).toMatch(/^behaved as eventually consistent, not strongly consistent: \d+ stale reads/);
  });

  it('sloppy quorums under partitions: stale reads found, replicas converge after the heal', () => {
    // Only a partition that leaves W (and R) nodes on both sides lets both sides go on: it takes a few partitions to draw one.
    const { status, results } = run(['--n', '3', '--w', '2', '--r', '2', '--sloppy', '--nemesis', 'partition'], 25);
    expect(status).toBe(0);
    expect(results.checkers.quorum.details.staleCount).toBeGreaterThan(0);
    expect(results.checkers.convergence).toMatchObject({ valid: true, details: { agreed: true, lostCount: 0 } });
  });

  it('a set under last-write-wins with clock faults and partitions: acknowledged adds lost, found', () => {
    const { status, results } = run(['--workload', 'set', '--resolve', 'lww', '--nemesis', 'clock,partition']);
    expect(status).toBe(1);
    expect(results.checkers.set.valid).toBe(false);
    expect(results.checkers.set.details.lost.length).toBeGreaterThan(0);
    expect(results.checkers.consistency.details.highest).toBe('weak');
  });

  it('a set under vector clocks with clock faults and partitions: no acknowledged add lost', () => {
    const { status, results } = run(['--workload', 'set', '--resolve', 'vclock', '--nemesis', 'clock,partition']);
    expect(status).toBe(0);
    expect(results.checkers.set).toMatchObject({ valid: true, details: { lost: [] } });
  });

  it('sessions: W + R <= N under partitions breaks them, named; W + R > N with sticky sessions keeps all four', () => {
    // Sticky sessions keep reading the replicas they wrote to; it takes partitions coming and going to break them.
    const weak = run(['--workload', 'session', '--w', '1', '--r', '1', '--nemesis', 'partition'], 25);
    const s = weak.results.checkers.session.details;
    expect(s.violations.length).toBeGreaterThan(0);
    expect(s.violations[0]).toMatchObject({ guarantee: expect.stringMatching(/read-your-writes|monotonic-reads/), first: { index: expect.any(Number) }, second: { index: expect.any(Number) } });
    const strong = run(['--workload', 'session', '--nemesis', 'partition']);
    expect(strong.status).toBe(0);
    expect(strong.results.checkers.session).toMatchObject({ valid: true });
    expect(strong.results.checkers.consistency.details.highest).toBe('strong');
  });

  it('refuses W above N with one line and exit status 2', () => {
    const r = harness(['test', '--target', 'dynamo', '--n', '3', '--w', '5', '--store', store]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('harness: --w 5 is more than --n 3: a write cannot wait for more replicas than a key has\n');
  });
});
