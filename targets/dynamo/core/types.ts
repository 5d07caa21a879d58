/**
 * The vocabulary of the sans-I/O core: what goes in (client requests, peer
 * messages, ticks, each with the node's clocks) and what comes out (messages
 * to send, replies to clients, records to persist).
 */
import type { MemberView } from './membership.js';
import type { Resolution, Siblings } from './siblings.js';
import type { Context } from './vclock.js';

/** The node's clocks at an input: monotonic ms (timeouts, failure detection) and wall-clock µs (last-write-wins). */
export interface Now {
  mono: number;
  wallUs: number;
}

export interface DynamoConfig {
  id: string;
  /** Every member, `id` included: the ring is built from them. */
  nodes: readonly string[];
  /** Replicas per key, writes and reads a request waits for. */
  n: number;
  w: number;
  r: number;
  /** Sloppy quorums: count the first N nodes that are up, handing writes for down homes to fallbacks with a hint. */
  sloppy: boolean;
  resolution: Resolution;
  /** Tokens per node on the ring. */
  vnodes: number;
  requestTimeoutMs: number;
  gossipEveryMs: number;
  /** A peer not heard from for this long is down. */
  downAfterMs: number;
  antiEntropyEveryMs: number;
  handoffEveryMs: number;
  /** Uniform in [0, 1); seeded by the driver (anti-entropy picks its peer with it). */
  random: () => number;
}

/** What a node keeps of one key, durably. */
export interface KeyRecord {
  key: unknown;
  siblings: Siblings;
  /** The highest dot counter this node issued for the key as a coordinator (so it never issues one twice). */
  issued: number;
  /** Home nodes this node holds the key for, as a sloppy quorum's fallback, until it hands it off. */
  hints: readonly string[];
}

export type ClientRequest =
  | { kind: 'get'; key: unknown }
  /** `context`: what the client has seen of the key (its last read, and its writes since): what this write replaces. */
  | { kind: 'put'; key: unknown; value: unknown; context: Context }
  /** This node's own copies of the keys, no quorum: for convergence checks. */
  | { kind: 'local'; keys: unknown[] }
  | { kind: 'status' };

export interface LocalState {
  key: unknown;
  /** Whether this node is one of the key's N home replicas. */
  replica: boolean;
  values: unknown[];
  /** The siblings' dots, a fingerprint of the state ('' when absent). */
  dots: string;
}

export interface NodeStatus {
  node: string;
  members: MemberView[];
  keys: number;
  hints: number;
  pending: number;
}

export type ClientReply =
  | { type: 'got'; values: unknown[]; context: Context }
  /** `context`: what the client has seen once the write is done, the context of its next write. */
  | { type: 'put'; context: Context }
  | { type: 'local'; states: LocalState[] }
  | { type: 'status'; status: NodeStatus }
  /** Certainly not done. */
  | { type: 'fail'; error: string }
  /** Maybe done (a write that reached some replicas but not W). */
  | { type: 'unknown'; error: string };

/** One key's state in an exchange between nodes. */
export interface Entry {
  keyId: string;
  key: unknown;
  siblings: Siblings;
}

interface Envelope {
  from: string;
  to: string;
}

export type PeerMessage = Envelope &
  (
    | { type: 'gossip'; table: Record<string, number> }
    /** Store (merge) this state; `hintFor`: hold it for that home node until it can be handed off. `req` 0: no ack wanted. */
    | ({ type: 'replicate'; req: number; hintFor?: string } & Entry)
    | { type: 'replicate-ack'; req: number }
    | { type: 'read'; req: number; keyId: string }
    | { type: 'read-resp'; req: number; siblings: Siblings }
    | ({ type: 'handoff' } & Entry)
    /** `dots`: the state that was handed off, so the fallback drops its hint only if it holds nothing newer. */
    | { type: 'handoff-ack'; keyId: string; dots: string }
    | { type: 'ae-roots'; roots: [range: number, root: number][] }
    | { type: 'ae-leaves'; ranges: [range: number, leaves: number[]][] }
    /** Keys of the differing buckets; `reply`: answer with yours of the same buckets. */
    | { type: 'ae-data'; buckets: [range: number, bucket: number][]; entries: Entry[]; reply: boolean }
  );

export type PeerMessageType = PeerMessage['type'];

export type Effect =
  | { kind: 'send'; msg: PeerMessage }
  | { kind: 'reply'; id: number; reply: ClientReply }
  /** Write the record durably before the effects that follow it. */
  | { kind: 'persist'; keyId: string; record: KeyRecord };
