/**
 * One replica of the KV store without I/O: the Raft core, the state machine,
 * the read paths, and the client requests waiting for their entries or read
 * points. Both the TCP shell and the simulator drive it the same way:
 * tick / receive / request in, then ready -> persist -> send -> advance.
 */
import { RaftCore, type RaftConfig } from './raft/core.js';
import type { DurableState, NodeId, Ready } from './raft/types.js';
import { isReadOnly, type KvOp } from './kv/ops.js';
import { KvStateMachine, type Command, type KvSnapshot } from './kv/state-machine.js';

export const READ_MODES = ['log', 'read-index', 'lease'] as const;
export type ReadMode = (typeof READ_MODES)[number];

export function isReadMode(x: string): x is ReadMode {
  return (READ_MODES as readonly string[]).includes(x);
}

export interface ClientRequest {
  client: string;
  seq: number;
  op: KvOp;
}

export type ClientReply =
  /** `index`: the log position the result reflects. */
  | { type: 'ok'; value: unknown; index: number }
  /** Certainly not applied. */
  | { type: 'fail'; error: string }
  /** Maybe applied. */
  | { type: 'unknown'; error: string }
  /** Not handled here (certainly not applied); try the leader. */
  | { type: 'redirect'; leader: NodeId | null };

export type Reply = (r: ClientReply) => void;

export interface ReplicaConfig extends RaftConfig {
  readMode: ReadMode;
  /** Bug: every node answers reads from whatever it has applied. */
  localReads: boolean;
  /** Compact the log once this many entries were applied past the last snapshot. */
  snapshotEvery: number;
}

interface WaitingEntry {
  term: number;
  reply: Reply;
}

interface WaitingRead {
  index: number;
  op: KvOp;
  reply: Reply;
}

export class Replica {
  readonly core: RaftCore;
  private readonly cfg: ReplicaConfig;
  private readonly sm = new KvStateMachine();
  private appliedIndex: number;
  private readonly waitingEntries = new Map<number, WaitingEntry>();
  private readonly waitingReadStates = new Map<string, { op: KvOp; reply: Reply }>();
  private waitingReads: WaitingRead[] = [];
  private nextCtx = 0;

  constructor(cfg: ReplicaConfig, durable: DurableState) {
    this.cfg = cfg;
    this.core = new RaftCore(cfg, durable);
    if (durable.snapshot) this.sm.restore(durable.snapshot.data as KvSnapshot);
    this.appliedIndex = durable.snapshot?.index ?? 0;
  }

  get applied(): number {
    return this.appliedIndex;
  }

  tick(): void {
    this.core.tick();
  }

  receive(m: Parameters<RaftCore['step']>[0]): void {
    this.core.step(m);
  }

  request(req: ClientRequest, reply: Reply): void {
    if (isReadOnly(req.op)) {
      if (this.cfg.localReads) {
        this.serveRead(req.op, reply);
        return;
      }
      if (this.core.role !== 'leader') {
        reply({ type: 'redirect', leader: this.core.lead });
        return;
      }
      if (this.cfg.readMode === 'lease') {
        const index = this.core.leaseReadIndex();
        if (index !== null) {
          this.waitForApplied({ index, op: req.op, reply });
          return;
        }
      }
      if (this.cfg.readMode !== 'log') {
        const ctx = String(++this.nextCtx);
        if (this.core.readIndex(ctx)) this.waitingReadStates.set(ctx, { op: req.op, reply });
        else reply({ type: 'redirect', leader: this.core.lead });
        return;
      }
    }
    const cmd: Command = { client: req.client, seq: req.seq, op: req.op };
    const at = this.core.propose(cmd);
    if (!at) {
      reply({ type: 'redirect', leader: this.core.lead });
      return;
    }
    this.waitingEntries.set(at.index, { term: at.term, reply });
  }

  hasReady(): boolean {
    return this.core.hasReady();
  }

  ready(): Ready {
    return this.core.ready();
  }

  /** Call once `rd` is persisted and its messages sent: applies entries and answers clients. */
  advance(rd: Ready): void {
    if (rd.snapshot?.origin === 'leader') {
      const s = rd.snapshot.snapshot;
      this.sm.restore(s.data as KvSnapshot);
      this.appliedIndex = s.index;
      for (const [index, w] of this.waitingEntries) {
        if (index > s.index) continue;
        this.waitingEntries.delete(index);
        w.reply({ type: 'unknown', error: 'entry compacted into a snapshot before this node applied it' });
      }
    }
    for (const e of rd.committed) {
      if (e.index <= this.appliedIndex) continue;
      const result = e.kind === 'cmd' ? this.sm.apply(e.data as Command) : null;
      this.appliedIndex = e.index;
      const w = this.waitingEntries.get(e.index);
      if (!w) continue;
      this.waitingEntries.delete(e.index);
      if (w.term !== e.term || result === null) {
        // Another entry took this index, so ours was never committed and never will be.
        w.reply({ type: 'fail', error: 'entry overwritten by a new leader' });
      } else if (result.type === 'ok') {
        w.reply({ type: 'ok', value: result.value, index: e.index });
      } else {
        w.reply(result);
      }
    }
    for (const rs of rd.readStates) {
      const w = this.waitingReadStates.get(rs.ctx);
      if (!w) continue;
      this.waitingReadStates.delete(rs.ctx);
      this.waitForApplied({ index: rs.index, op: w.op, reply: w.reply });
    }
    this.core.advance(rd);
    this.serveAppliedReads();
    if (this.core.role !== 'leader' && this.waitingReadStates.size > 0) {
      for (const w of this.waitingReadStates.values()) w.reply({ type: 'redirect', leader: this.core.lead });
      this.waitingReadStates.clear();
    }
    if (this.appliedIndex - this.core.log.snapshotIndex() >= this.cfg.snapshotEvery) {
      this.core.compact(this.appliedIndex, this.sm.snapshot());
    }
  }

  /** Answer everything still waiting (on shutdown): nobody will hear back otherwise. */
  abandon(): void {
    for (const w of this.waitingEntries.values()) w.reply({ type: 'unknown', error: 'node shutting down' });
    for (const w of this.waitingReadStates.values()) w.reply({ type: 'fail', error: 'node shutting down' });
    for (const w of this.waitingReads) w.reply({ type: 'fail', error: 'node shutting down' });
    this.waitingEntries.clear();
    this.waitingReadStates.clear();
    this.waitingReads = [];
  }

  private waitForApplied(w: WaitingRead): void {
    if (w.index <= this.appliedIndex) this.serveRead(w.op, w.reply);
    else this.waitingReads.push(w);
  }

  private serveAppliedReads(): void {
    if (this.waitingReads.length === 0) return;
    const still: WaitingRead[] = [];
    for (const w of this.waitingReads) {
      if (w.index <= this.appliedIndex) this.serveRead(w.op, w.reply);
      else still.push(w);
    }
    this.waitingReads = still;
  }

  private serveRead(op: KvOp, reply: Reply): void {
    const r = this.sm.read(op);
    reply(r.type === 'ok' ? { type: 'ok', value: r.value, index: this.appliedIndex } : r);
  }
}
