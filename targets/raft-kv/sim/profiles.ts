/**
 * Named simulation setups: which faults, how much load, how big a cluster.
 * Each planted bug has the profile (and seed budget) that finds it.
 */
import { bugSwitches, type BugName } from '../bugs.js';
import type { ReadMode } from '../replica.js';
import type { SimOptions } from './cluster.js';

export type ProfileName = 'mixed' | 'elections' | 'leases';

export function simOptions(profile: ProfileName, seed: number, readMode: ReadMode, bugs: readonly BugName[]): SimOptions {
  const base = {
    seed,
    readMode,
    bugs: bugSwitches(bugs),
    // As the harness' clock nemesis: rates in [1/4, 4], steps of seconds.
    clock: { minRate: 0.25, maxRate: 4, maxStepBackMs: 5000 },
    maxEvents: 400_000,
  };
  switch (profile) {
    case 'mixed':
      return { ...base, nodes: seed % 2 ? 3 : 5, durationMs: 4000, clientGapMs: [1, 6], faultGapMs: [50, 700], faults: 'mixed' };
    case 'elections':
      return { ...base, nodes: seed % 2 ? 3 : 5, durationMs: 3000, clientGapMs: [10, 40], faultGapMs: [30, 200], faults: 'elections' };
    case 'leases':
      return { ...base, nodes: seed % 2 ? 3 : 5, durationMs: 3000, clientGapMs: [1, 6], faultGapMs: [200, 600], faults: 'leases' };
  }
}

/**
 * For each planted bug: the profile and read mode that expose it, and how many
 * seeds to try. Measured hit rates (share of seeds that find the bug): stale-read
 * ~100 %, lease-no-margin ~45 %, no-fsync ~23 %, forget-vote and commit-old-term
 * ~1 % (each needs a precise interleaving of elections and crashes), hence their
 * large budgets; a run stops at the first seed that finds the bug.
 */
export const BUG_HUNTS: Record<BugName, { profile: ProfileName; readMode: ReadMode; budget: number }> = {
  'stale-read': { profile: 'mixed', readMode: 'log', budget: 20 },
  'no-fsync': { profile: 'mixed', readMode: 'log', budget: 100 },
  'forget-vote': { profile: 'elections', readMode: 'log', budget: 1000 },
  'commit-old-term': { profile: 'elections', readMode: 'log', budget: 1000 },
  'lease-no-margin': { profile: 'leases', readMode: 'lease', budget: 60 },
};
