/**
 * Types of the sans-I/O Raft core: log entries, durable state, messages and
 * the Ready batch the core hands to whoever drives it.
 */

export type NodeId = string;

interface EntryPosition {
  index: number;
  term: number;
}

/** A no-op is appended by every new leader; a command carries state-machine data. */
export type Entry = EntryPosition & ({ kind: 'noop' } | { kind: 'cmd'; data: unknown });

/** What must survive a crash besides the log. */
export interface HardState {
  term: number;
  vote: NodeId | null;
}

/** A compacted prefix of the log: the state machine's state after applying `index`. */
export interface Snapshot {
  index: number;
  term: number;
  data: unknown;
}

/** What the core restarts from. */
export interface DurableState {
  hardState: HardState;
  snapshot: Snapshot | null;
  /** Entries after the snapshot, in index order, contiguous. */
  entries: readonly Entry[];
}

export const EMPTY_DURABLE_STATE: DurableState = { hardState: { term: 0, vote: null }, snapshot: null, entries: [] };

interface Envelope {
  from: NodeId;
  to: NodeId;
}

interface CampaignRequest extends Envelope {
  /** For a pre-vote, the term the candidate would campaign in; the sender's term is one less. */
  term: number;
  lastIndex: number;
  lastTerm: number;
}

export type AppendResult =
  | { ok: true; match: number }
  /** Fast back-off hint: where the follower's log diverges (`conflictTerm` null when its log is too short). */
  | { ok: false; rejectedPrev: number; conflictIndex: number; conflictTerm: number | null };

export type Message =
  | (CampaignRequest & { type: 'prevote' })
  /** `term` echoes the request; `voterTerm` lets a stale pre-candidate learn the real term. */
  | (Envelope & { type: 'prevote-resp'; term: number; voterTerm: number; granted: boolean })
  | (CampaignRequest & { type: 'vote' })
  | (Envelope & { type: 'vote-resp'; term: number; granted: boolean })
  | (Envelope & {
      type: 'append';
      term: number;
      prevIndex: number;
      prevTerm: number;
      entries: Entry[];
      commit: number;
      /** Heartbeat round this message belongs to; echoed so the leader can count acknowledgements. */
      seq: number;
    })
  | (Envelope & { type: 'snapshot'; term: number; snapshot: Snapshot; seq: number })
  | (Envelope & { type: 'append-resp'; term: number; seq: number; result: AppendResult });

export type MessageType = Message['type'];

/** A confirmed linearizable read point: serve the read once the state machine has applied `index`. */
export interface ReadState {
  ctx: string;
  index: number;
}

/**
 * One batch of work for the driver, in this order: persist `hardState`,
 * `snapshot` and `entries` durably; then send `messages`; then apply
 * `committed` (restoring the state machine first if `snapshot.origin` is 'leader');
 * then call `advance(ready)`.
 */
export interface Ready {
  hardState: HardState | null;
  /** Entries to write after truncating the stored log to `entries[0].index - 1`. */
  entries: Entry[];
  snapshot: { snapshot: Snapshot; origin: 'leader' | 'local' } | null;
  messages: Message[];
  committed: Entry[];
  readStates: ReadState[];
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';
