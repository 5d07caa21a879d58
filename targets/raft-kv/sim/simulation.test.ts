/**
 * Seeded whole-cluster simulations. A failure prints its seed; rerun just
 * that seed with RAFT_SEED=<n> npx vitest run targets/raft-kv/sim.
 */
import { describe, expect, it } from 'vitest';
import { BUG_NAMES } from '../bugs.js';
import { READ_MODES, type ReadMode } from '../replica.js';
import { runSimulation } from './cluster.js';
import { BUG_HUNTS, simOptions, type ProfileName } from './profiles.js';

const only = process.env.RAFT_SEED === undefined ? undefined : Number(process.env.RAFT_SEED);

function seeds(from: number, count: number): number[] {
  return only !== undefined ? [only] : Array.from({ length: count }, (_, i) => from + i);
}

function cleanRuns(profile: ProfileName, count: number, mode: (seed: number) => ReadMode): void {
  it(`${profile}: ${count} seeds with no bug find nothing and recover after healing`, () => {
    const failures: string[] = [];
    let applied = 0;
    for (const seed of seeds(1, count)) {
      const r = runSimulation(simOptions(profile, seed, mode(seed), []));
      applied += r.stats.applied;
      if (r.violations.length > 0) {
        failures.push(`seed ${seed} (${profile}, read-mode ${mode(seed)}; rerun with RAFT_SEED=${seed}):\n  ${r.violations.slice(0, 3).join('\n  ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(applied).toBeGreaterThan(0);
  }, 60_000);
}

describe('simulation without bugs', () => {
  cleanRuns('mixed', 120, (seed) => READ_MODES[seed % 3] as ReadMode);
  cleanRuns('elections', 120, () => 'log');
  cleanRuns('leases', 60, () => 'lease');
});

describe('simulation finds every planted bug', () => {
  for (const bug of BUG_NAMES) {
    const hunt = BUG_HUNTS[bug];
    it(`${bug} within ${hunt.budget} seeds (${hunt.profile}, read-mode ${hunt.readMode})`, () => {
      let found: { seed: number; violation: string } | undefined;
      for (const seed of seeds(1, hunt.budget)) {
        const r = runSimulation(simOptions(hunt.profile, seed, hunt.readMode, [bug]));
        const v = r.violations[0];
        if (v !== undefined) {
          found = { seed, violation: v };
          break;
        }
      }
      if (found) console.log(`${bug}: seed ${found.seed}: ${found.violation}`);
      expect(found, `${bug} not found in ${hunt.budget} seeds`).toBeDefined();
    }, 60_000);
  }
});
