/**
 * The anomalies this checker names, spelled as Elle spells them, and which
 * ones imply which (Adya's G1 is G1a, G1b or G1c; a G0 cycle is also a G1c
 * one; a cycle in process order is also one in real-time order, since a
 * process runs one transaction at a time...).
 */
import { reachable } from './reach.js';

/** Cycles in the dependency graph, most severe first: the order the search tries them in. */
export const CYCLE_ANOMALIES = [
  'G0',
  'G1c',
  'G-single-item',
  'G-nonadjacent-item',
  'G2-item',
  'G0-process',
  'G1c-process',
  'G-single-item-process',
  'G-nonadjacent-item-process',
  'G2-item-process',
  'G0-realtime',
  'G1c-realtime',
  'G-single-item-realtime',
  'G-nonadjacent-item-realtime',
  'G2-item-realtime',
] as const;
export type CycleAnomaly = (typeof CYCLE_ANOMALIES)[number];

/** Anomalies found without a cycle search. */
export const PLAIN_ANOMALIES = [
  'G1a', // aborted read
  'G1b', // intermediate read
  'internal', // a read disagrees with the transaction's own earlier read or write
  'dirty-update', // a committed append on top of an aborted one
  'duplicate-elements', // a list read with an element twice
  'incompatible-order', // two reads of a list that no single order of appends explains
  'lost-update', // two transactions read the same version and both wrote it
  'future-read', // a transaction read what it wrote only later
  'garbage-read', // a read of an element or value that no transaction wrote
  'cyclic-versions', // the version order inferred for a register is cyclic
] as const;
export type PlainAnomaly = (typeof PLAIN_ANOMALIES)[number];

/** Reasons the verdict is unknown rather than valid. */
export const UNKNOWN_ANOMALIES = ['cycle-search-timeout', 'empty-transaction-graph'] as const;
export type UnknownAnomaly = (typeof UNKNOWN_ANOMALIES)[number];

export type ReportedAnomaly = CycleAnomaly | PlainAnomaly | UnknownAnomaly;

/** Anomalies that are only ever implied (never reported directly), used to relate the others to models. */
type ImpliedOnly =
  | 'G1'
  | 'G1-process'
  | 'G1-realtime'
  | 'G-single'
  | 'G-single-process'
  | 'G-single-realtime'
  | 'G-nonadjacent'
  | 'G-nonadjacent-process'
  | 'G-nonadjacent-realtime'
  | 'G2'
  | 'G2-process'
  | 'G2-realtime'
  | 'write-skew';

export type AnomalyName = ReportedAnomaly | ImpliedOnly;

/** a → [b, ...]: a history with anomaly a also has each b. */
export const IMPLIES: Readonly<Partial<Record<AnomalyName, readonly AnomalyName[]>>> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],

  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],

  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],

  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],

  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],

  // Two reads no single order of appends explains: one of them saw a state no committed history produced.
  'incompatible-order': ['G1a'],
  // Reading one's own later write is a cycle of one transaction with itself.
  'future-read': ['G1c'],
  // Like an aborted read, but the committed transaction wrote on top of the aborted state.
  'dirty-update': ['G1a'],
  // Lost update is the one-key case of write skew (Bailis et al.; Adya's H_lu).
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

/** Every anomaly implied by any of these, these included. */
export function impliedBy(anomalies: Iterable<AnomalyName>): Set<AnomalyName> {
  return reachable(anomalies, (a) => IMPLIES[a]);
}

const IMPLIED_BY = new Map<AnomalyName, AnomalyName[]>();
for (const [a, bs] of Object.entries(IMPLIES) as [AnomalyName, AnomalyName[]][]) for (const b of bs) IMPLIED_BY.set(b, [...(IMPLIED_BY.get(b) ?? []), a]);

/** Every anomaly that implies any of these, these included. */
export function implying(anomalies: Iterable<AnomalyName>): Set<AnomalyName> {
  return reachable(anomalies, (a) => IMPLIED_BY.get(a));
}
