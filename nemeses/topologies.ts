/**
 * Partition topologies as pure functions from the node list (and a seeded
 * rng) to a grudge. Names follow Jepsen's nemesis combinators.
 */
import type { Grudge } from '../harness/provision/types.js';
import { fromComponents, fromViews } from './grudge.js';
import { pick, shuffle, type Rng } from './rng.js';

export const TOPOLOGIES = ['one', 'halves', 'majority', 'majorities-ring', 'bridge', 'minority-third', 'primaries'] as const;
export type TopologyName = (typeof TOPOLOGIES)[number];

export function isTopology(s: string): s is TopologyName {
  return (TOPOLOGIES as readonly string[]).includes(s);
}

function need(nodes: readonly string[], min: number, what: string): void {
  if (nodes.length < min) throw new Error(`the ${what} partition needs at least ${min} nodes, got ${nodes.length}`);
}

/** Isolate one random node from all others. */
export function one(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 2, 'one');
  const n = pick(rng, nodes);
  return fromComponents(nodes, [[n], nodes.filter((m) => m !== n)]);
}

/**
 * Two halves that cannot talk, floor(n/2) and ceil(n/2) nodes, as Jepsen's
 * `partition-random-halves`: for odd n a minority and a majority, for even n
 * two equal sides of which neither has a majority.
 */
export function halves(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 2, 'halves');
  const s = shuffle(rng, nodes);
  const k = Math.floor(s.length / 2);
  return fromComponents(nodes, [s.slice(0, k), s.slice(k)]);
}

/** A strict majority (floor(n/2)+1 nodes) and the minority, which cannot talk (= halves for odd n). */
export function majority(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 3, 'majority');
  const s = shuffle(rng, nodes);
  const k = Math.ceil(s.length / 2) - 1;
  return fromComponents(nodes, [s.slice(0, k), s.slice(k)]);
}

/**
 * Every node sees a majority (itself included), but no two nodes see the same
 * set: nodes on a shuffled ring each talk to their neighbours within a radius.
 * With three nodes this is a ring with one link cut.
 */
export function majoritiesRing(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 3, 'majorities-ring');
  const ring = shuffle(rng, nodes);
  const n = ring.length;
  if (n === 3) return fromComponents(nodes, [[ring[0]!, ring[1]!], [ring[1]!, ring[2]!]]);
  const majority = Math.floor(n / 2) + 1;
  const radius = Math.ceil((majority - 1) / 2);
  const views = new Map<string, Set<string>>();
  ring.forEach((node, i) => {
    const view = new Set<string>();
    for (let d = -radius; d <= radius; d++) view.add(ring[(i + d + n) % n]!);
    views.set(node, view);
  });
  return fromViews(nodes, views);
}

/** Two halves joined by one node that talks to both. */
export function bridge(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 3, 'bridge');
  const s = shuffle(rng, nodes);
  const k = Math.floor((s.length - 1) / 2);
  const middle = s[k]!;
  return fromComponents(nodes, [s.slice(0, k + 1), [middle, ...s.slice(k + 1)]]);
}

/** Isolate a third of the nodes (at most the faults a BFT system of this size tolerates, and at least one node). */
export function minorityThird(nodes: readonly string[], rng: Rng): Grudge {
  need(nodes, 2, 'minority-third');
  const s = shuffle(rng, nodes);
  const k = Math.max(1, Math.floor((s.length - 1) / 3));
  return fromComponents(nodes, [s.slice(0, k), s.slice(k)]);
}

/** Isolate the current leader from every other node. */
export function primaries(nodes: readonly string[], leader: string): Grudge {
  need(nodes, 2, 'primaries');
  if (!nodes.includes(leader)) throw new Error(`leader ${leader} is not one of the nodes ${nodes.join(', ')}`);
  return fromComponents(nodes, [[leader], nodes.filter((m) => m !== leader)]);
}

/** The grudge of a topology other than `primaries` (which needs the leader: use `primaries()`). */
export function topology(name: Exclude<TopologyName, 'primaries'>, nodes: readonly string[], rng: Rng): Grudge {
  switch (name) {
    case 'one':
      return one(nodes, rng);
    case 'halves':
      return halves(nodes, rng);
    case 'majority':
      return majority(nodes, rng);
    case 'majorities-ring':
      return majoritiesRing(nodes, rng);
    case 'bridge':
      return bridge(nodes, rng);
    case 'minority-third':
      return minorityThird(nodes, rng);
  }
}

/** The topologies that make sense for a cluster of this size. */
export function topologiesFor(nodeCount: number): TopologyName[] {
  return TOPOLOGIES.filter((t) => nodeCount >= (t === 'majorities-ring' || t === 'bridge' || t === 'majority' ? 3 : 2));
}
