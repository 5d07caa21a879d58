/**
 * Seeded whole-cluster simulations. A failure prints its seed; rerun just
 * that seed with DYNAMO_SEED=<n> npx vitest run targets/dynamo/sim.
 */
import { describe, expect, it } from 'vitest';
import { runSimulation, type SimStats } from './cluster.js';
import { simOptions, type ProfileName } from './profiles.js';

const only = process.env.DYNAMO_SEED === undefined ? undefined : Number(process.env.DYNAMO_SEED);
const seeds = (count: number) => (only !== undefined ? [only] : Array.from({ length: count }, (_, i) => i + 1));

/** Run a profile over seeds; the violations (with seeds) and the summed measures. */
function runMany(profile: ProfileName, count: number): { failures: string[]; total: SimStats } {
  const failures: string[] = [];
  const total: SimStats = { writesAcked: 0, readsOk: 0, unavailable: 0, staleReads: 0, lostWrites: 0, crashes: 0, partitions: 0 };
  for (const seed of seeds(count)) {
    const r = runSimulation(simOptions(profile, seed));
    for (const k of Object.keys(total) as (keyof SimStats)[]) total[k] += r.stats[k];
    if (r.violations.length > 0) failures.push(`seed ${seed} (${profile}; rerun with DYNAMO_SEED=${seed}):\n  ${r.violations.slice(0, 3).join('\n  ')}`);
  }
  return { failures, total };
}

describe('what each configuration promises holds under partitions, crashes and loss', () => {
  for (const profile of ['strict', 'strict-w3r1', 'vclock-skewed'] as const) {
    it(`${profile}: quorum reads see every acknowledged write, replicas converge, nothing acknowledged is lost`, () => {
      const { failures, total } = runMany(profile, 40);
      expect(failures).toEqual([]);
      expect(total.staleReads).toBe(0);
      expect(total.writesAcked).toBeGreaterThan(1000);
      expect(total.crashes + total.partitions).toBeGreaterThan(100);
    }, 60_000);
  }

  it('weak-w1r1 (W + R <= N): stale reads happen, yet replicas converge and nothing is lost', () => {
    const { failures, total } = runMany('weak-w1r1', 20);
    expect(failures).toEqual([]);
    expect(total.staleReads).toBeGreaterThan(100);
    expect(total.lostWrites).toBe(0);
  }, 60_000);

  it('sloppy quorums: stale reads happen, hints are handed off, replicas converge', () => {
    const { failures, total } = runMany('sloppy', 20);
    expect(failures).toEqual([]);
    expect(total.staleReads).toBeGreaterThan(10);
    expect(total.lostWrites).toBe(0);
  }, 60_000);
});

describe('last-write-wins', () => {
  it('with skewed clocks loses acknowledged writes (an older write wins), where vclock loses none', () => {
    const lww = runMany('lww-skewed', 20);
    expect(lww.failures).toEqual([]); // losing writes is what lww does, not a broken promise
    expect(lww.total.lostWrites).toBeGreaterThan(10);
    expect(runMany('vclock-skewed', 20).total.lostWrites).toBe(0);
  }, 60_000);
});
