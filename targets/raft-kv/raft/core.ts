/**
 * A sans-I/O Raft node in the style of etcd's raft: the driver feeds it
 * messages (`step`), timer ticks (`tick`) and proposals, then drains a
 * `Ready` batch (persist, then send, then apply) and acknowledges it with
 * `advance`. No timers, sockets or files in here; randomness and the lease
 * clock are injected.
 */
import { RaftLog } from './log.js';
import type { AppendResult, DurableState, Entry, HardState, Message, NodeId, ReadState, Ready, Role, Snapshot } from './types.js';

/** Bugs that live in the protocol itself; all false in a correct node. */
export interface CoreBugs {
  /** The vote is not part of the persisted hard state, so a restarted node can vote twice in one term. */
  forgetVote: boolean;
  /** Entries of earlier terms are committed by counting replicas (Figure 8), and no no-op is appended on election. */
  commitOldTerm: boolean;
  /**
   * Lease reads last the full minimum election timeout and trust the clock
   * blindly; a leader holding a lease also skips the check-quorum step-down.
   */
  leaseNoMargin: boolean;
}

/**
 * Share of the minimum election timeout a lease gives up to clock drift. 0.8
 * keeps a lease of 20 %, safe while the leader's wall clock runs at least
 * ~0.25x real time (the slowest skew the harness' clock nemesis applies) and
 * followers time out on a real (monotonic) clock.
 */
export const LEASE_DRIFT_MARGIN = 0.8;

export const NO_CORE_BUGS: CoreBugs = { forgetVote: false, commitOldTerm: false, leaseNoMargin: false };

export interface RaftConfig {
  id: NodeId;
  /** Every member, including `id`. */
  voters: readonly NodeId[];
  /** Minimum election timeout in ticks; each timeout is drawn from [electionTicks, 2 * electionTicks). */
  electionTicks: number;
  heartbeatTicks: number;
  /** Uniform in [0, 1); seeded by the driver. */
  random: () => number;
  /** Milliseconds on the node's own clock; only leases read it. */
  clock: () => number;
  /** Nominal length of a tick on that clock, used to size the lease. */
  tickMs: number;
  /** Fraction of the minimum election timeout a lease gives up to clock drift (see LEASE_DRIFT_MARGIN). */
  leaseDriftMargin: number;
  maxEntriesPerMessage: number;
  /** Leaders serve lease reads, so a rebooted node must not vote for one election timeout. */
  leaseReads: boolean;
  bugs: CoreBugs;
}

interface Progress {
  /** Next index to send (optimistic). */
  next: number;
  /** Highest index known to be replicated. */
  match: number;
  /** Highest heartbeat round acknowledged in this term. */
  ackedSeq: number;
  /** Our clock when that round started; the start of the lease this peer grants. */
  ackedSentAt: number;
  /** Heard from since the last quorum check. */
  active: boolean;
}

interface PendingRead {
  ctx: string;
  seq: number;
}

export class RaftCore {
  readonly id: NodeId;
  private readonly cfg: RaftConfig;
  private readonly peers: NodeId[];
  private readonly quorum: number;

  private roleValue: Role = 'follower';
  private termValue: number;
  private vote: NodeId | null;
  private leadValue: NodeId | null = null;
  readonly log: RaftLog;
  private commit: number;
  /** Highest index handed out for applying. */
  private applied: number;

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedTimeout = 0;
  private ticksSinceBoot = 0;

  private votes = new Map<NodeId, boolean>();
  private progress = new Map<NodeId, Progress>();
  private seq = 0;
  private sentAt = new Map<number, number>();
  private clockHigh = -Infinity;

  private msgs: Message[] = [];
  private hardStateDirty = false;
  private unstableFrom: number;
  /** Highest index this node has durably stored (what the leader counts for itself). */
  private stableIndex: number;
  private pendingSnapshot: Ready['snapshot'] = null;
  private latestSnapshot: Snapshot | null;
  private pendingReads: PendingRead[] = [];
  private readStates: ReadState[] = [];
  private appendWanted = false;
  private heartbeatWanted = false;

  constructor(cfg: RaftConfig, durable: DurableState) {
    if (!cfg.voters.includes(cfg.id)) throw new Error(`${cfg.id} is not among the voters`);
    this.cfg = cfg;
    this.id = cfg.id;
    this.peers = cfg.voters.filter((v) => v !== cfg.id);
    this.quorum = Math.floor(cfg.voters.length / 2) + 1;
    this.termValue = durable.hardState.term;
    this.vote = durable.hardState.vote;
    const snap = durable.snapshot;
    this.latestSnapshot = snap;
    this.log = new RaftLog(snap ? { index: snap.index, term: snap.term } : { index: 0, term: 0 }, durable.entries);
    this.commit = this.log.snapshotIndex();
    this.applied = this.commit;
    this.stableIndex = this.log.lastIndex();
    this.unstableFrom = this.log.lastIndex() + 1;
    this.resetRandomizedTimeout();
  }

  get role(): Role {
    return this.roleValue;
  }
  get term(): number {
    return this.termValue;
  }
  get lead(): NodeId | null {
    return this.leadValue;
  }
  get votedFor(): NodeId | null {
    return this.vote;
  }
  get commitIndex(): number {
    return this.commit;
  }

  // ---- inputs ----

  tick(): void {
    this.ticksSinceBoot++;
    this.electionElapsed++;
    if (this.roleValue === 'leader') {
      this.heartbeatElapsed++;
      if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
        this.heartbeatElapsed = 0;
        this.heartbeatWanted = true;
      }
      if (this.electionElapsed >= this.cfg.electionTicks) {
        this.electionElapsed = 0;
        this.checkQuorum();
      }
      return;
    }
    if (this.electionElapsed >= this.randomizedTimeout) {
      this.preCampaign();
    } else if (this.roleValue === 'candidate' && this.electionElapsed % this.cfg.heartbeatTicks === 0) {
      // Keep asking peers that have not granted: requests and answers get lost.
      for (const p of this.peers) if (this.votes.get(p) !== true) this.requestVote(p);
    }
  }

  /** Append a command if this node leads; returns where it went, or null. */
  propose(data: unknown): { index: number; term: number } | null {
    if (this.roleValue !== 'leader') return null;
    const entry: Entry = { kind: 'cmd', index: this.log.lastIndex() + 1, term: this.termValue, data };
    this.log.append(entry);
    this.appendWanted = true;
    return { index: entry.index, term: entry.term };
  }

  /** Start a read-index round; the answer comes out as a ReadState. False if this node does not lead. */
  readIndex(ctx: string): boolean {
    if (this.roleValue !== 'leader') return false;
    this.pendingReads.push({ ctx, seq: this.seq + 1 });
    this.heartbeatWanted = true;
    return true;
  }

  /** The commit index to serve a lease read at, or null when the lease does not hold. */
  leaseReadIndex(): number | null {
    if (this.roleValue !== 'leader' || !this.committedInTerm()) return null;
    const now = this.now();
    const starts = [now, ...this.peers.map((p) => this.progress.get(p)?.ackedSentAt ?? -Infinity)].sort((a, b) => b - a);
    const start = starts[this.quorum - 1] ?? -Infinity;
    return now - start < this.leaseMs() ? this.commit : null;
  }

  /** Replace the log up to `index` (already applied) by a snapshot of the state machine. */
  compact(index: number, data: unknown): boolean {
    if (this.pendingSnapshot !== null || index <= this.log.snapshotIndex() || index > this.applied) return false;
    const term = this.log.term(index);
    if (term === undefined) return false;
    const snapshot: Snapshot = { index, term, data };
    this.log.compactTo(index, term);
    this.latestSnapshot = snapshot;
    this.pendingSnapshot = { snapshot, origin: 'local' };
    return true;
  }

  step(m: Message): void {
    if (m.to !== this.id) return;
    if (m.type === 'prevote-resp') {
      this.onPreVoteResp(m);
      return;
    }
    if (m.term > this.termValue) {
      if ((m.type === 'vote' || m.type === 'prevote') && this.inLease()) return;
      if (m.type !== 'prevote') {
        this.becomeFollower(m.term, m.type === 'append' || m.type === 'snapshot' ? m.from : null);
      }
    } else if (m.term < this.termValue) {
      if (m.type === 'append' || m.type === 'snapshot') {
        // Tell a stale leader about the newer term so it steps down.
        this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.termValue, seq: m.seq, result: { ok: true, match: 0 } });
      } else if (m.type === 'prevote') {
        this.send({ type: 'prevote-resp', from: this.id, to: m.from, term: m.term, voterTerm: this.termValue, granted: false });
      }
      return;
    }
    switch (m.type) {
      case 'prevote': {
        const granted = m.term > this.termValue && this.log.isUpToDate(m.lastIndex, m.lastTerm);
        this.send({ type: 'prevote-resp', from: this.id, to: m.from, term: m.term, voterTerm: this.termValue, granted });
        return;
      }
      case 'vote': {
        const canVote = this.vote === m.from || (this.vote === null && this.leadValue === null);
        const granted = canVote && this.log.isUpToDate(m.lastIndex, m.lastTerm);
        if (granted) {
          this.vote = m.from;
          this.hardStateDirty = true;
          this.electionElapsed = 0;
        }
        this.send({ type: 'vote-resp', from: this.id, to: m.from, term: this.termValue, granted });
        return;
      }
      case 'vote-resp':
        if (this.roleValue !== 'candidate') return;
        this.votes.set(m.from, m.granted);
        this.tallyVotes(() => this.becomeLeader());
        return;
      case 'append':
        this.followLeader(m.from);
        this.onAppend(m);
        return;
      case 'snapshot':
        this.followLeader(m.from);
        this.onSnapshot(m);
        return;
      case 'append-resp':
        if (this.roleValue === 'leader') this.onAppendResp(m);
        return;
    }
  }

  // ---- outputs ----

  hasReady(): boolean {
    return (
      this.appendWanted ||
      this.heartbeatWanted ||
      this.msgs.length > 0 ||
      this.hardStateDirty ||
      this.pendingSnapshot !== null ||
      this.unstableFrom <= this.log.lastIndex() ||
      this.applied < Math.min(this.commit, this.log.lastIndex()) ||
      this.readStates.length > 0 ||
      (this.roleValue === 'leader' && this.pendingReads.length > 0 && this.quorum === 1)
    );
  }

  ready(): Ready {
    if (this.roleValue === 'leader') {
      if (this.heartbeatWanted) this.broadcastHeartbeat();
      else if (this.appendWanted) this.broadcastAppend();
      this.releaseReads();
    }
    this.appendWanted = false;
    this.heartbeatWanted = false;
    const entries = this.log.slice(this.unstableFrom, this.log.lastIndex());
    this.unstableFrom = this.log.lastIndex() + 1;
    const hardState: HardState | null = this.hardStateDirty
      ? { term: this.termValue, vote: this.cfg.bugs.forgetVote ? null : this.vote }
      : null;
    this.hardStateDirty = false;
    const snapshot = this.pendingSnapshot;
    this.pendingSnapshot = null;
    const upTo = Math.min(this.commit, this.log.lastIndex());
    const committed = upTo > this.applied ? this.log.slice(this.applied + 1, upTo) : [];
    this.applied = Math.max(this.applied, upTo);
    const messages = this.msgs;
    this.msgs = [];
    const readStates = this.readStates;
    this.readStates = [];
    return { hardState, entries, snapshot, messages, committed, readStates };
  }

  /** The driver has persisted `rd` (and sent and applied it). */
  advance(rd: Ready): void {
    const last = rd.entries[rd.entries.length - 1];
    if (last && this.log.term(last.index) === last.term) this.stableIndex = Math.max(this.stableIndex, last.index);
    if (rd.snapshot) this.stableIndex = Math.max(this.stableIndex, rd.snapshot.snapshot.index);
    if (this.roleValue === 'leader') this.maybeCommit();
  }

  // ---- elections ----

  private inLease(): boolean {
    if (this.electionElapsed >= this.cfg.electionTicks) return false;
    // A node that just booted may have backed a leader's lease before it crashed.
    return this.leadValue !== null || (this.cfg.leaseReads && this.ticksSinceBoot < this.cfg.electionTicks);
  }

  private resetRandomizedTimeout(): void {
    this.randomizedTimeout = this.cfg.electionTicks + Math.floor(this.cfg.random() * this.cfg.electionTicks);
  }

  private preCampaign(): void {
    this.roleValue = 'pre-candidate';
    this.leadValue = null;
    this.electionElapsed = 0;
    this.resetRandomizedTimeout();
    this.votes = new Map([[this.id, true]]);
    if (this.quorum === 1) return this.campaign();
    for (const p of this.peers) {
      this.send({ type: 'prevote', from: this.id, to: p, term: this.termValue + 1, lastIndex: this.log.lastIndex(), lastTerm: this.log.lastTerm() });
    }
  }

  private campaign(): void {
    this.roleValue = 'candidate';
    this.termValue++;
    this.vote = this.id;
    this.hardStateDirty = true;
    this.leadValue = null;
    this.electionElapsed = 0;
    this.resetRandomizedTimeout();
    this.votes = new Map([[this.id, true]]);
    if (this.quorum === 1) return this.becomeLeader();
    for (const p of this.peers) this.requestVote(p);
  }

  private requestVote(to: NodeId): void {
    this.send({ type: 'vote', from: this.id, to, term: this.termValue, lastIndex: this.log.lastIndex(), lastTerm: this.log.lastTerm() });
  }

  private onPreVoteResp(m: Extract<Message, { type: 'prevote-resp' }>): void {
    if (this.roleValue === 'pre-candidate' && m.term === this.termValue + 1) {
      this.votes.set(m.from, m.granted);
      this.tallyVotes(() => this.campaign());
    } else if (!m.granted && m.voterTerm > this.termValue) {
      this.becomeFollower(m.voterTerm, null);
    }
  }

  private tallyVotes(onWin: () => void): void {
    let yes = 0;
    let no = 0;
    for (const g of this.votes.values()) g ? yes++ : no++;
    if (yes >= this.quorum) onWin();
    else if (no >= this.quorum) this.becomeFollower(this.termValue, null);
  }

  private becomeFollower(term: number, lead: NodeId | null): void {
    if (term > this.termValue) {
      this.termValue = term;
      this.vote = null;
      this.hardStateDirty = true;
    }
    this.roleValue = 'follower';
    this.leadValue = lead;
    this.electionElapsed = 0;
    this.resetRandomizedTimeout();
    this.progress.clear();
    this.pendingReads = [];
  }

  private followLeader(from: NodeId): void {
    if (this.roleValue !== 'follower') this.becomeFollower(this.termValue, from);
    this.leadValue = from;
    this.electionElapsed = 0;
  }

  private becomeLeader(): void {
    this.roleValue = 'leader';
    this.leadValue = this.id;
    this.heartbeatElapsed = 0;
    this.electionElapsed = 0;
    this.pendingReads = [];
    this.progress.clear();
    for (const p of this.peers) {
      this.progress.set(p, { next: this.log.lastIndex() + 1, match: 0, ackedSeq: 0, ackedSentAt: -Infinity, active: true });
    }
    if (!this.cfg.bugs.commitOldTerm) {
      this.log.append({ kind: 'noop', index: this.log.lastIndex() + 1, term: this.termValue });
    }
    this.heartbeatWanted = true;
  }

  private checkQuorum(): void {
    let active = 1;
    for (const pr of this.progress.values()) {
      if (pr.active) active++;
      pr.active = false;
    }
    // The lease-no-margin bug trusts its lease to say it still leads.
    if (this.cfg.bugs.leaseNoMargin && this.leaseReadIndex() !== null) return;
    if (active < this.quorum) this.becomeFollower(this.termValue, null);
  }

  // ---- replication: follower side ----

  private onAppend(m: Extract<Message, { type: 'append' }>): void {
    const reply = (result: AppendResult) =>
      this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.termValue, seq: m.seq, result });
    if (m.prevIndex < this.commit) {
      reply({ ok: true, match: this.commit });
      return;
    }
    if (this.log.term(m.prevIndex) !== m.prevTerm) {
      if (m.prevIndex > this.log.lastIndex()) {
        reply({ ok: false, rejectedPrev: m.prevIndex, conflictIndex: this.log.lastIndex() + 1, conflictTerm: null });
      } else {
        reply({
          ok: false,
          rejectedPrev: m.prevIndex,
          conflictIndex: this.log.firstIndexOfTerm(m.prevIndex),
          conflictTerm: this.log.term(m.prevIndex) ?? null,
        });
      }
      return;
    }
    for (const e of m.entries) {
      if (e.index <= this.log.lastIndex()) {
        if (this.log.term(e.index) === e.term) continue;
        this.truncateFrom(e.index);
      }
      this.log.append(e);
    }
    const match = m.prevIndex + m.entries.length;
    if (m.commit > this.commit) this.commit = Math.max(this.commit, Math.min(m.commit, match));
    reply({ ok: true, match });
  }

  private truncateFrom(index: number): void {
    this.log.truncateFrom(index);
    this.unstableFrom = Math.min(this.unstableFrom, index);
    this.stableIndex = Math.min(this.stableIndex, index - 1);
  }

  private onSnapshot(m: Extract<Message, { type: 'snapshot' }>): void {
    const s = m.snapshot;
    const reply = (match: number) =>
      this.send({ type: 'append-resp', from: this.id, to: m.from, term: this.termValue, seq: m.seq, result: { ok: true, match } });
    if (s.index <= this.commit) {
      reply(this.commit);
      return;
    }
    this.log.compactTo(s.index, s.term);
    this.commit = s.index;
    this.applied = s.index;
    this.latestSnapshot = s;
    this.pendingSnapshot = { snapshot: s, origin: 'leader' };
    this.unstableFrom = Math.max(this.unstableFrom, s.index + 1);
    reply(s.index);
  }

  // ---- replication: leader side ----

  private onAppendResp(m: Extract<Message, { type: 'append-resp' }>): void {
    const pr = this.progress.get(m.from);
    if (!pr) return;
    pr.active = true;
    if (m.seq > pr.ackedSeq) {
      pr.ackedSeq = m.seq;
      const at = this.sentAt.get(m.seq);
      if (at !== undefined) pr.ackedSentAt = Math.max(pr.ackedSentAt, at);
    }
    const r = m.result;
    if (r.ok) {
      if (r.match > pr.match) {
        pr.match = r.match;
        pr.next = Math.max(pr.next, r.match + 1);
        this.maybeCommit();
        if (pr.next <= this.log.lastIndex()) this.sendAppend(m.from, false);
      }
    } else {
      if (r.rejectedPrev < pr.match) return;
      let next = r.conflictIndex;
      if (r.conflictTerm !== null) {
        const li = this.log.lastIndexOfTerm(r.conflictTerm);
        if (li !== undefined) next = li + 1;
      }
      pr.next = Math.max(pr.match + 1, Math.min(next, r.rejectedPrev));
      this.sendAppend(m.from, true);
    }
    this.releaseReads();
  }

  private maybeCommit(): void {
    const matches = [this.stableIndex, ...this.peers.map((p) => this.progress.get(p)?.match ?? 0)].sort((a, b) => b - a);
    const n = matches[this.quorum - 1] ?? 0;
    if (n <= this.commit) return;
    if (!this.cfg.bugs.commitOldTerm && this.log.term(n) !== this.termValue) return;
    this.commit = n;
    this.releaseReads();
  }

  /**
   * A new leader knows its commit index is current only once it has committed
   * an entry of its own term (its no-op). The commit-old-term bug has no no-op
   * and no such notion: it serves reads at whatever it has.
   */
  private committedInTerm(): boolean {
    return this.cfg.bugs.commitOldTerm || this.log.term(this.commit) === this.termValue;
  }

  private releaseReads(): void {
    if (this.pendingReads.length === 0 || !this.committedInTerm()) return;
    const acked = [Infinity, ...this.peers.map((p) => this.progress.get(p)?.ackedSeq ?? 0)].sort((a, b) => b - a);
    const confirmed = acked[this.quorum - 1] ?? 0;
    const still: PendingRead[] = [];
    for (const r of this.pendingReads) {
      if (r.seq <= confirmed) this.readStates.push({ ctx: r.ctx, index: this.commit });
      else still.push(r);
    }
    this.pendingReads = still;
  }

  private broadcastAppend(): void {
    for (const p of this.peers) this.sendAppend(p, false);
  }

  private broadcastHeartbeat(): void {
    this.seq++;
    this.sentAt.set(this.seq, this.now());
    this.sentAt.delete(this.seq - 200);
    for (const p of this.peers) this.sendAppend(p, true);
  }

  private sendAppend(to: NodeId, evenIfEmpty: boolean): void {
    const pr = this.progress.get(to);
    if (!pr) return;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined && prevIndex <= this.log.snapshotIndex()) {
      const snapshot = this.latestSnapshot;
      if (!snapshot) throw new Error('log compacted without a snapshot');
      this.send({ type: 'snapshot', from: this.id, to, term: this.termValue, snapshot, seq: this.seq });
      pr.next = snapshot.index + 1;
      return;
    }
    if (prevTerm === undefined) {
      pr.next = this.log.lastIndex() + 1;
      return this.sendAppend(to, evenIfEmpty);
    }
    const entries = this.log.slice(pr.next, pr.next + this.cfg.maxEntriesPerMessage - 1);
    if (entries.length === 0 && !evenIfEmpty) return;
    this.send({ type: 'append', from: this.id, to, term: this.termValue, prevIndex, prevTerm, entries, commit: this.commit, seq: this.seq });
    pr.next += entries.length;
  }

  // ---- leases ----

  private leaseMs(): number {
    const full = this.cfg.electionTicks * this.cfg.tickMs;
    return this.cfg.bugs.leaseNoMargin ? full : full * (1 - this.cfg.leaseDriftMargin);
  }

  /** The lease clock; a step backwards voids every acknowledgement measured before it. */
  private now(): number {
    const t = this.cfg.clock();
    if (!this.cfg.bugs.leaseNoMargin && t < this.clockHigh) {
      for (const pr of this.progress.values()) pr.ackedSentAt = -Infinity;
      this.sentAt.clear();
    }
    this.clockHigh = t;
    return t;
  }

  private send(m: Message): void {
    this.msgs.push(m);
  }
}
