/**
 * Grudges: for each node, the nodes whose traffic it drops. Built from
 * components (groups of nodes that talk among themselves), and converted to
 * plain objects for the history.
 */
import type { Grudge } from '../harness/provision/types.js';

export type GrudgeObject = Record<string, string[]>;

/**
 * The grudge in which each node talks only to the nodes that share a
 * component with it. A node in several components (a bridge) talks to all of
 * them; a node in none talks to nobody.
 */
export function fromComponents(nodes: readonly string[], components: readonly (readonly string[])[]): Grudge {
  const g = new Map<string, Set<string>>();
  for (const n of nodes) {
    const friends = new Set<string>([n]);
    for (const c of components) if (c.includes(n)) for (const m of c) friends.add(m);
    const drops = new Set(nodes.filter((m) => !friends.has(m)));
    if (drops.size) g.set(n, drops);
  }
  return g;
}

/** Each node drops traffic from every node outside its own view (`views.get(n)` includes n). */
export function fromViews(nodes: readonly string[], views: ReadonlyMap<string, ReadonlySet<string>>): Grudge {
  const g = new Map<string, Set<string>>();
  for (const n of nodes) {
    const view = views.get(n) ?? new Set([n]);
    const drops = new Set(nodes.filter((m) => m !== n && !view.has(m)));
    if (drops.size) g.set(n, drops);
  }
  return g;
}

export function toObject(g: Grudge): GrudgeObject {
  const out: GrudgeObject = {};
  for (const [n, drops] of [...g].sort(([a], [b]) => a.localeCompare(b))) out[n] = [...drops].sort();
  return out;
}

export function fromObject(o: GrudgeObject): Grudge {
  return new Map(Object.entries(o).map(([n, drops]) => [n, new Set(drops)]));
}

/** True when a and b exchange traffic: neither drops the other. */
export function talks(g: Grudge, a: string, b: string): boolean {
  return a === b || (!g.get(a)?.has(b) && !g.get(b)?.has(a));
}

/** The nodes that `n` exchanges traffic with, itself included. */
export function viewOf(g: Grudge, nodes: readonly string[], n: string): Set<string> {
  return new Set(nodes.filter((m) => talks(g, n, m)));
}
