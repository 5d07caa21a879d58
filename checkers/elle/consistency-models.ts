/**
 * Consistency models, which weaker models each one implies, and which
 * anomalies each one rules out, after Adya ("Weak Consistency", and with
 * Liskov and O'Neil "Generalized Isolation Level Definitions"), Bailis et
 * al. ("Highly Available Transactions"), Cerone, Bernardi and Gotsman (read
 * atomic, prefix, parallel SI), Daudjee and Salem (strong session SI), as
 * Elle relates them. "Serializable" is conflict serializability (PL-3).
 * The "strong session" and "strong" variants of read uncommitted, read
 * committed, SI and serializability also forbid cycles through process
 * order (a session sees its own past) and real-time order.
 */
import { impliedBy, implying, type AnomalyName } from './anomalies.js';
import { reachable } from './reach.js';

export const MODELS = [
  'strict-serializable',
  'strong-session-serializable',
  'serializable',
  'strong-snapshot-isolation',
  'strong-session-snapshot-isolation',
  'snapshot-isolation',
  'repeatable-read',
  'update-serializable',
  'forward-consistent-view',
  'consistent-view',
  'parallel-snapshot-isolation',
  'prefix',
  'causal-cerone',
  'update-atomic',
  'read-atomic',
  'monotonic-atomic-view',
  'monotonic-snapshot-read',
  'monotonic-view',
  'cursor-stability',
  'strong-read-committed',
  'strong-session-read-committed',
  'read-committed',
  'strong-read-uncommitted',
  'strong-session-read-uncommitted',
  'read-uncommitted',
] as const;
export type Model = (typeof MODELS)[number];

/** Other names for the same models (Adya's PL levels among them). */
const ALIASES: Readonly<Record<string, Model>> = {
  'strong-serializable': 'strict-serializable',
  'PL-SS': 'strict-serializable',
  'conflict-serializable': 'serializable',
  'PL-3': 'serializable',
  'PL-SI': 'snapshot-isolation',
  'PL-2.99': 'repeatable-read',
  'PL-3U': 'update-serializable',
  'PL-FCV': 'forward-consistent-view',
  'PL-2+': 'consistent-view',
  'PL-MSR': 'monotonic-snapshot-read',
  'PL-2L': 'monotonic-view',
  'PL-CS': 'cursor-stability',
  'PL-2': 'read-committed',
  'PL-1': 'read-uncommitted',
};

/** A model by any of its names, or undefined. */
export function modelNamed(name: string): Model | undefined {
  if ((MODELS as readonly string[]).includes(name)) return name as Model;
  return ALIASES[name];
}

/** m → the models m directly implies (a history satisfying m satisfies each of these). */
const WEAKER: Readonly<Partial<Record<Model, readonly Model[]>>> = {
  'strict-serializable': ['serializable', 'strong-snapshot-isolation', 'strong-session-serializable'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  serializable: ['repeatable-read', 'snapshot-isolation', 'update-serializable'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-read-committed'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-read-committed'],
  'snapshot-isolation': ['forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read', 'parallel-snapshot-isolation', 'prefix'],
  'update-serializable': ['forward-consistent-view'],
  'forward-consistent-view': ['consistent-view'],
  'consistent-view': ['cursor-stability', 'monotonic-view'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
  prefix: ['causal-cerone'],
  'causal-cerone': ['read-atomic'],
  'update-atomic': ['read-atomic'],
  'read-atomic': ['monotonic-atomic-view'],
  'monotonic-atomic-view': ['read-committed'],
  'monotonic-snapshot-read': ['read-committed'],
  'monotonic-view': ['read-committed'],
  'cursor-stability': ['read-committed'],
  'strong-read-committed': ['strong-session-read-committed', 'strong-read-uncommitted'],
  'strong-session-read-committed': ['read-committed', 'strong-session-read-uncommitted'],
  'read-committed': ['read-uncommitted'],
  'strong-read-uncommitted': ['strong-session-read-uncommitted'],
  'strong-session-read-uncommitted': ['read-uncommitted'],
};

/**
 * The anomalies each model rules out itself, beyond those of the weaker
 * models it implies. Where we cannot detect what a definition names
 * (predicate anomalies, G-cursor, G-monotonic...), only what we detect is listed.
 */
const PROSCRIBES: Readonly<Partial<Record<Model, readonly AnomalyName[]>>> = {
  // Adya's PL-1 forbids G0. A list read twice with one element, an element
  // no one wrote, or a cyclic version order cannot occur in any Adya history.
  'read-uncommitted': ['G0', 'duplicate-elements', 'garbage-read', 'cyclic-versions'],
  'read-committed': ['G1'],
  'cursor-stability': ['lost-update'],
  'consistent-view': ['G-single'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'causal-cerone': ['internal', 'G1a'],
  prefix: ['internal', 'G1a'],
  'parallel-snapshot-isolation': ['internal', 'G1a'],
  'update-atomic': ['lost-update'],
  'repeatable-read': ['G2-item', 'lost-update'],
  // Generalized SI forbids every cycle whose rw edges are never adjacent (Cerone and Gotsman).
  'snapshot-isolation': ['internal', 'G-nonadjacent'],
  serializable: ['internal', 'G2'],
  'strict-serializable': ['G1c-realtime', 'G2-realtime'],
  'strong-session-read-uncommitted': ['G0-process'],
  'strong-session-read-committed': ['G1c-process'],
  'strong-read-uncommitted': ['G0-realtime'],
  'strong-read-committed': ['G1c-realtime'],
  'strong-session-snapshot-isolation': ['G1-process', 'G-nonadjacent-process'],
  'strong-snapshot-isolation': ['G1-realtime', 'G-nonadjacent-realtime'],
  'strong-session-serializable': ['G1-process', 'G2-process'],
};

const closure = (start: Iterable<Model>, edges: (m: Model) => readonly Model[]) => reachable(start, edges);

const weaker = (m: Model) => WEAKER[m] ?? [];
const stronger = (m: Model) => MODELS.filter((s) => (WEAKER[s] ?? []).includes(m));

/** Every anomaly whose presence means at least one of `models` does not hold. */
export function anomaliesProhibitedBy(models: readonly Model[]): Set<AnomalyName> {
  const proscribed: AnomalyName[] = [];
  for (const m of closure(models, weaker)) proscribed.push(...(PROSCRIBES[m] ?? []));
  return implying(proscribed);
}

/** Every model that cannot hold given these anomalies. */
export function modelsRuledOutBy(anomalies: Iterable<AnomalyName>): Set<Model> {
  const present = impliedBy(anomalies);
  const direct = MODELS.filter((m) => (PROSCRIBES[m] ?? []).some((a) => present.has(a)));
  return closure(direct, stronger);
}

/**
 * The weakest models the anomalies rule out (`not`), and the stronger ones
 * that follow (`alsoNot`), each in MODELS order.
 */
export function boundary(anomalies: Iterable<AnomalyName>): { not: Model[]; alsoNot: Model[] } {
  const out = modelsRuledOutBy(anomalies);
  const weakest = (m: Model) => ![...closure(weaker(m), weaker)].some((w) => out.has(w));
  const ordered = MODELS.filter((m) => out.has(m));
  return { not: ordered.filter(weakest), alsoNot: ordered.filter((m) => !weakest(m)) };
}
