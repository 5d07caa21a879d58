/**
 * Which nodes a process or packet fault hits: one, a minority, a majority,
 * all, or the primaries (the node the target names as leader or master,
 * known only when the fault is performed).
 */
import { pick, randInt, shuffle, type Rng } from './rng.js';

/** Modes that count nodes, decided when the fault is drawn. */
export const COUNT_MODES = ['one', 'minority', 'majority', 'all'] as const;
export type CountMode = (typeof COUNT_MODES)[number];

export const TARGET_MODES = [...COUNT_MODES, 'primaries'] as const;
export type TargetMode = (typeof TARGET_MODES)[number];

export function isTargetMode(s: string): s is TargetMode {
  return (TARGET_MODES as readonly string[]).includes(s);
}

/**
 * Nodes for a count mode: `minority` is 1..floor((n-1)/2) nodes (at least
 * one), `majority` is floor(n/2)+1..n-1 nodes (all of them for n < 3).
 */
export function selectTargets(mode: CountMode, nodes: readonly string[], rng: Rng): string[] {
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

export function chooseTargets(modes: readonly CountMode[], nodes: readonly string[], rng: Rng): { mode: CountMode; nodes: string[] } {
  const mode = pick(rng, modes);
  return { mode, nodes: selectTargets(mode, nodes, rng) };
}

/** What a fault's start records about its targets: the nodes, or `primaries`, resolved when performed. */
export type Targets = string[] | 'primaries';

/** Draw targets for one of the modes. */
export function drawTargets(modes: readonly TargetMode[], nodes: readonly string[], rng: Rng): Targets {
  const mode = pick(rng, modes);
  return mode === 'primaries' ? 'primaries' : selectTargets(mode, nodes, rng);
}
