/**
 * The I/O shell of one node: ticks from a timer, Raft messages over TCP,
 * durable state in the data dir, and the client port. It owns the
 * ready -> persist -> send -> advance loop around a Replica.
 */
import type { Socket } from 'node:net';
import { ClientListener } from '../../common/client-listener.js';
import { Replica, type ClientReply, type ReadMode } from '../replica.js';
import { LEASE_DRIFT_MARGIN } from '../raft/core.js';
import type { NodeId } from '../raft/types.js';
import { parseOp } from '../kv/ops.js';
import type { BugSwitches } from '../bugs.js';
import { Rng } from '../sim/rng.js';
import { DiskStorage } from './storage.js';
import { encodeFrame } from './framing.js';
import { PeerTransport, type PeerAddress } from './peer-transport.js';
import { ClockOffsetGuard } from './clock-guard.js';
import { isClientFrame, type ServerFrame } from './protocol.js';
import type { Logger } from './log.js';

export interface ServerConfig {
  id: NodeId;
  listenHost: string;
  clientPort: number;
  peerPort: number;
  peers: ReadonlyMap<NodeId, PeerAddress>;
  dataDir: string;
  readMode: ReadMode;
  bugs: BugSwitches;
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
  snapshotEvery: number;
  /** Peers whose clocks are further off than this are not listened to (0: no guard); see clock-guard.ts. */
  maxClockOffsetMs: number;
}

export class NodeServer {
  private replica!: Replica;
  private storage!: DiskStorage;
  private transport!: PeerTransport;
  private clients: ClientListener | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private pumping = false;
  private pumpAgain = false;
  private lastRole = '';
  private lastTerm = -1;
  private lastVote: string | null = null;

  constructor(
    private readonly cfg: ServerConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const cfg = this.cfg;
    this.storage = await DiskStorage.open(cfg.dataDir, { lazy: cfg.bugs.lazyStorage, lazyFlushMs: 2000 });
    const durable = this.storage.durableState();
    const rng = new Rng((Date.now() ^ (process.pid << 8)) >>> 0);
    this.replica = new Replica(
      {
        id: cfg.id,
        voters: [...cfg.peers.keys()],
        electionTicks: cfg.electionTicks,
        heartbeatTicks: cfg.heartbeatTicks,
        random: () => rng.next(),
        clock: () => Date.now(),
        tickMs: cfg.tickMs,
        leaseDriftMargin: LEASE_DRIFT_MARGIN,
        maxEntriesPerMessage: 256,
        leaseReads: cfg.readMode === 'lease',
        bugs: cfg.bugs.core,
        readMode: cfg.readMode,
        localReads: cfg.bugs.localReads,
        snapshotEvery: cfg.snapshotEvery,
      },
      durable,
    );
    this.log.info('recovered', {
      term: durable.hardState.term,
      vote: durable.hardState.vote,
      snapshot: durable.snapshot?.index ?? 0,
      entries: durable.entries.length,
    });
    this.transport = new PeerTransport(
      cfg.id,
      cfg.listenHost,
      new Map([...cfg.peers].filter(([id]) => id !== cfg.id)),
      (m) => {
        this.replica.receive(m);
        this.schedulePump();
      },
      this.log,
      new ClockOffsetGuard(cfg.maxClockOffsetMs, () => Date.now(), this.log),
    );
    await this.transport.listen(cfg.peerPort);
    this.clients = await ClientListener.listen(cfg.listenHost, cfg.clientPort, {
      onFrame: (f, sock) => this.onClientFrame(f, sock),
      afterBatch: () => this.schedulePump(),
    });
    this.ticker = setInterval(() => {
      this.replica.tick();
      this.schedulePump();
    }, cfg.tickMs);
    this.log.info('started', { clientPort: cfg.clientPort, peerPort: cfg.peerPort, readMode: cfg.readMode });
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.replica.abandon();
    this.transport.close();
    this.clients?.close();
    this.storage.close();
  }

  /** One client frame: the node's status at once, or a request the replica answers when it can. */
  private onClientFrame(frame: unknown, sock: Socket): boolean {
    if (!isClientFrame(frame)) return false;
    const send = (f: ServerFrame) => {
      if (!sock.destroyed) sock.write(encodeFrame(f));
    };
    if (frame.kind === 'status') {
      const core = this.replica.core;
      send({
        id: frame.id,
        type: 'status',
        status: { node: this.cfg.id, role: core.role, term: core.term, lead: core.lead, commit: core.commitIndex, applied: this.replica.applied },
      });
      return true;
    }
    let op;
    try {
      op = parseOp(frame.f, frame.value);
    } catch (err) {
      send({ id: frame.id, type: 'fail', error: `bad request: ${(err as Error).message}` });
      return true;
    }
    this.replica.request({ client: frame.client, seq: frame.seq, op }, (r: ClientReply) => send({ id: frame.id, ...r }));
    return true;
  }

  private schedulePump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => void this.pump());
  }

  /** ready -> persist -> send -> advance, one batch at a time; new work batches up meanwhile. */
  private async pump(): Promise<void> {
    try {
      do {
        this.pumpAgain = false;
        while (this.replica.hasReady()) {
          const rd = this.replica.ready();
          await this.storage.persist(rd);
          this.transport.send(rd.messages);
          this.replica.advance(rd);
        }
      } while (this.pumpAgain);
    } catch (err) {
      this.log.warn('storage failed, exiting', { error: String(err) });
      process.exit(1);
    } finally {
      this.pumping = false;
    }
    this.logRoleChange();
  }

  private logRoleChange(): void {
    const core = this.replica.core;
    if (core.votedFor !== null && (core.votedFor !== this.lastVote || core.term !== this.lastTerm)) {
      this.log.info('vote', { term: core.term, for: core.votedFor });
    }
    this.lastVote = core.votedFor;
    if (core.role === this.lastRole && core.term === this.lastTerm) return;
    this.lastRole = core.role;
    this.lastTerm = core.term;
    this.log.info('role', { role: core.role, term: core.term, lead: core.lead, commit: core.commitIndex });
  }
}
