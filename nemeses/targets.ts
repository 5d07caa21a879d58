/**
 * Which nodes a process or packet fault hits: one, a minority, a majority, or all.
 */
import { pick, randInt, shuffle, type Rng } from './rng.js';

export const TARGET_MODES = ['one', 'minority', 'majority', 'all'] as const;
export type TargetMode = (typeof TARGET_MODES)[number];

export function isTargetMode(s: string): s is TargetMode {
  return (TARGET_MODES as readonly string[]).includes(s);
}

/**
 * Nodes for a target mode: `minority` is 1..floor((n-1)/2) nodes (at least
 * one), `majority` is floor(n/2)+1..n-1 nodes (all of them for n < 3).
 */
export function selectTargets(mode: TargetMode, nodes: readonly string[], rng: Rng): string[] {
  if (nodes.length === 0) return [];
  const n = nodes.length;
  const s = shuffle(rng, nodes);
  let k: number;
  switch (mode) {
    case 'one':
      k = 1;
      break;
    case 'minority':
      k = randInt(rng, 1, Math.max(1, Math.floor((n - 1) / 2)));
      break;
    case 'majority':
      k = n < 3 ? n : randInt(rng, Math.floor(n / 2) + 1, n - 1);
      break;
    case 'all':
      k = n;
      break;
  }
  return s.slice(0, k).sort();
}

export function chooseTargets(modes: readonly TargetMode[], nodes: readonly string[], rng: Rng): { mode: TargetMode; nodes: string[] } {
  const mode = pick(rng, modes);
  return { mode, nodes: selectTargets(mode, nodes, rng) };
}
