/** Named simulation setups: the store's configurations under the faults that matter to them. */
import type { SimOptions } from './cluster.js';

export type ProfileName = 'strict' | 'strict-w3r1' | 'weak-w1r1' | 'sloppy' | 'lww-skewed' | 'vclock-skewed';

export function simOptions(profile: ProfileName, seed: number): SimOptions {
  const base = {
    seed,
    nodes: seed % 2 ? 5 : 4,
    durationMs: 4000,
    settleMs: 4000,
    sessions: 6,
    keys: 4,
    opGapMs: [5, 30] as [number, number],
    faultGapMs: [100, 600] as [number, number],
    resolution: 'vclock' as const,
  };
  const faults = { partitions: true, crashes: true, clockOffsetMs: 0, loss: 0.05 };
  switch (profile) {
    case 'strict':
      return { ...base, quorum: { n: 3, w: 2, r: 2, sloppy: false }, faults };
    case 'strict-w3r1':
      return { ...base, quorum: { n: 3, w: 3, r: 1, sloppy: false }, faults };
    case 'weak-w1r1':
      return { ...base, quorum: { n: 3, w: 1, r: 1, sloppy: false }, faults };
    case 'sloppy':
      return { ...base, quorum: { n: 3, w: 2, r: 2, sloppy: true }, faults };
    case 'vclock-skewed':
      return { ...base, quorum: { n: 3, w: 2, r: 2, sloppy: false }, faults: { ...faults, clockOffsetMs: 3000 } };
    case 'lww-skewed':
      return { ...base, resolution: 'lww', quorum: { n: 3, w: 2, r: 2, sloppy: false }, faults: { ...faults, crashes: false, clockOffsetMs: 3000 } };
  }
}
