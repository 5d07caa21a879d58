/**
 * Seeded whole-cluster simulations. A failure prints its seed; rerun just
 * that seed with DYNAMO_SEED=<n> npx vitest run targets/dynamo/sim.
 */
import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../../checkers/convergence.js';
import { checkQuorum } from '../../../checkers/quorum.js';
import { checkSessions } from '../../../checkers/session.js';
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

describe('the checkers agree with the simulation', () => {
  const judge = (profile: ProfileName, seed: number) => {
    const r = runSimulation(simOptions(profile, seed));
    const rule = profile.startsWith('lww') ? 'newer-wins' : 'siblings';
    return { sim: r.stats, quorum: checkQuorum(r.history, { rule }), session: checkSessions(r.history, { rule }), convergence: checkConvergence(r.history, { rule }) };
  };

  it('strict quorums: no stale read, all four session guarantees, convergence (all by the siblings rule)', () => {
    for (const seed of seeds(10)) {
      const j = judge('strict', seed);
      expect({ seed, quorum: j.quorum.valid, session: j.session.valid, convergence: j.convergence.valid }).toEqual({ seed, quorum: true, session: true, convergence: true });
    }
  }, 60_000);

  it('W + R <= N and sloppy quorums: stale reads found (and session violations with W + R <= N), convergence holds', () => {
    for (const profile of ['weak-w1r1', 'sloppy'] as const) {
      let stale = 0;
      let sessionViolations = 0;
      for (const seed of seeds(10)) {
        const j = judge(profile, seed);
        stale += j.quorum.staleCount;
        sessionViolations += j.session.counts['read-your-writes'] + j.session.counts['monotonic-reads'];
        expect({ profile, seed, convergence: j.convergence.valid, impossible: j.quorum.impossible }).toEqual({ profile, seed, convergence: true, impossible: [] });
      }
      expect(stale, profile).toBeGreaterThan(10);
      // A sticky session's sloppy reads and writes go to the same first N nodes its coordinator sees up: it reads its writes.
      if (profile === 'weak-w1r1') expect(sessionViolations, profile).toBeGreaterThan(5);
    }
  }, 60_000);

  it('last-write-wins with skewed clocks: the convergence checker finds every write the simulation lost', () => {
    let simLost = 0;
    for (const seed of seeds(10)) {
      const r = runSimulation(simOptions('lww-skewed', seed));
      const found = new Set(checkConvergence(r.history).lost.map((l) => l.write.value));
      simLost += r.lost.length;
      expect({ seed, missed: r.lost.filter((v) => !found.has(v)) }).toEqual({ seed, missed: [] });
    }
    expect(simLost).toBeGreaterThan(10);
  }, 60_000);
});
