/**
 * The I/O shell of one node: ticks from a timer, peer messages over TCP,
 * durable keys in the data dir, and the client port. Every input goes to
 * the core with the node's clocks (monotonic ms for timeouts, wall-clock µs
 * for last-write-wins), and the effects are carried out in order: persist,
 * then send and reply.
 */
import type { Socket } from 'node:net';
import { ClientListener } from '../../common/client-listener.js';
import { encodeFrame } from '../../raft-kv/shell/framing.js';
import type { PeerAddress } from '../../common/peer-sockets.js';
import type { Logger } from '../../raft-kv/shell/log.js';
import { Rng } from '../../raft-kv/sim/rng.js';
import { DynamoNode } from '../core/node.js';
import { isContext } from '../core/vclock.js';
import type { ClientRequest, DynamoConfig, Effect, Now, PeerMessage } from '../core/types.js';
import { KeyLog } from './key-log.js';
import { PeerTransport } from './peer-transport.js';
import { isClientFrame, type ReplyFrame } from './protocol.js';
import { MicrosecondClock } from './wall-clock.js';

export interface ServerConfig {
  core: Omit<DynamoConfig, 'random' | 'nodes'>;
  listenHost: string;
  clientPort: number;
  peerPort: number;
  peers: ReadonlyMap<string, PeerAddress>;
  dataDir: string;
  tickMs: number;
}

export class NodeServer {
  private core!: DynamoNode;
  private keyLog!: KeyLog;
  private transport!: PeerTransport;
  private clients: ClientListener | null = null;
  /** Requests in the core, by the id the core knows them by: where to answer. */
  private readonly waiting = new Map<number, { sock: Socket; id: number }>();
  private nextRequest = 1;
  private ticker: NodeJS.Timeout | null = null;
  private readonly wall = new MicrosecondClock();
  private readonly lastUp = new Map<string, boolean>();
  /** When the connection to each peer was last reset (monotonic ms). */
  private readonly resetAt = new Map<string, number>();

  constructor(
    private readonly cfg: ServerConfig,
    private readonly log: Logger,
  ) {}

  private now(): Now {
    return { mono: performance.now(), wallUs: this.wall.now() };
  }

  async start(): Promise<void> {
    const { cfg } = this;
    const { log, records } = KeyLog.open(cfg.dataDir);
    this.keyLog = log;
    const rng = new Rng((Date.now() ^ (process.pid << 8)) >>> 0);
    this.core = new DynamoNode({ ...cfg.core, nodes: [...cfg.peers.keys()], random: () => rng.next() }, records);
    this.log.info('recovered', { keys: records.size, hints: this.core.store.hintCount });
    const peers = new Map([...cfg.peers].filter(([id]) => id !== cfg.core.id));
    this.transport = new PeerTransport(cfg.listenHost, peers, (m) => this.onPeer(m), this.log);
    await this.transport.listen(cfg.peerPort);
    this.clients = await ClientListener.listen(cfg.listenHost, cfg.clientPort, {
      onFrame: (f, sock) => this.onClientFrame(f, sock),
      afterBatch: () => this.carryOut(),
    });
    this.ticker = setInterval(() => {
      this.core.tick(this.now());
      this.carryOut();
      this.watchPeers();
    }, cfg.tickMs);
    const { n, w, r, sloppy, resolution } = cfg.core;
    this.log.info('started', { clientPort: cfg.clientPort, peerPort: cfg.peerPort, n, w, r, sloppy, resolution });
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.transport.close();
    this.clients?.close();
    this.keyLog.close();
  }

  private onPeer(m: PeerMessage): void {
    this.core.receive(m, this.now());
    this.carryOut();
  }

  private carryOut(): void {
    const effects: Effect[] = this.core.drain();
    const outgoing: PeerMessage[] = [];
    for (const e of effects) {
      if (e.kind === 'persist') {
        // Before any message or reply that follows it goes out.
        this.keyLog.append(e.keyId, e.record);
      } else if (e.kind === 'send') {
        outgoing.push(e.msg);
      } else {
        const to = this.waiting.get(e.id);
        this.waiting.delete(e.id);
        if (to && !to.sock.destroyed) to.sock.write(encodeFrame({ id: to.id, ...e.reply } satisfies ReplyFrame));
      }
    }
    this.transport.send(outgoing);
  }

  /** One client frame: a request into the core, answered when the core says (carryOut). */
  private onClientFrame(f: unknown, sock: Socket): boolean {
    if (!isClientFrame(f) || (f.kind === 'put' && !isContext(f.context))) return false;
    const { id: frameId, ...req } = f;
    const id = this.nextRequest++;
    this.waiting.set(id, { sock, id: frameId });
    this.core.request(id, req as ClientRequest, this.now());
    return true;
  }

  /**
   * Log each peer going down or coming up, as this node's failure detector
   * sees it; while a peer is down, reconnect to it once per failure-detector
   * window, so that a healed link carries messages at once instead of after
   * TCP's backed-off retransmissions.
   */
  private watchPeers(): void {
    const now = performance.now();
    for (const m of this.core.status(this.now()).members) {
      if (m.node === this.cfg.core.id) continue;
      if (!m.up && now - (this.resetAt.get(m.node) ?? 0) >= this.cfg.core.downAfterMs) {
        this.resetAt.set(m.node, now);
        this.transport.reset(m.node);
      }
      if (this.lastUp.get(m.node) === m.up) continue;
      if (this.lastUp.has(m.node)) this.log.info(m.up ? 'peer up' : 'peer down', { peer: m.node, heartbeat: m.heartbeat });
      this.lastUp.set(m.node, m.up);
    }
  }
}
