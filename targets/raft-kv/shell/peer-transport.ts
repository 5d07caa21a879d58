/**
 * TCP between peers: one outbound connection per peer (reconnecting), frames
 * of Raft messages stamped by the clock guard (the sender's wall clock and an
 * echo of the receiver's last stamp); inbound connections deliver the frames
 * the guard admits to `onMessage`.
 * A message that cannot be sent right away is dropped: Raft retries.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from './framing.js';
import type { Message, NodeId } from '../raft/types.js';
import type { Logger } from './log.js';
import type { ClockOffsetGuard, ClockStamp } from './clock-guard.js';

/** What goes over the wire: a message and the guard's stamp. */
interface PeerFrame extends ClockStamp {
  m: Message;
}

export interface PeerAddress {
  host: string;
  port: number;
}

/** Outbound bytes allowed to queue on one peer socket before it is considered stuck (e.g. partitioned). */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export class PeerTransport {
  private server: Server | null = null;
  private readonly out = new Map<NodeId, Socket>();
  private readonly inbound = new Set<Socket>();
  private readonly retryAt = new Map<NodeId, number>();
  private closed = false;

  constructor(
    private readonly self: NodeId,
    private readonly bindHost: string,
    private readonly peers: ReadonlyMap<NodeId, PeerAddress>,
    private readonly onMessage: (m: Message) => void,
    private readonly log: Logger,
    private readonly guard: ClockOffsetGuard,
  ) {}

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => {
        this.inbound.add(sock);
        sock.setNoDelay(true);
        const dec = new FrameDecoder();
        sock.on('data', (chunk) => {
          try {
            for (const f of dec.push(chunk) as PeerFrame[]) {
              const { m, ...stamp } = f;
              if (this.guard.admit(m.from, stamp)) this.onMessage(m);
            }
          } catch (err) {
            this.log.warn('bad peer frame', { error: String(err) });
            sock.destroy();
          }
        });
        sock.on('error', () => undefined);
        sock.on('close', () => this.inbound.delete(sock));
      });
      server.once('error', reject);
      server.listen(port, this.bindHost, () => resolve());
      this.server = server;
    });
  }

  send(messages: readonly Message[]): void {
    if (messages.length === 0) return;
    const byPeer = new Map<NodeId, Message[]>();
    for (const m of messages) {
      const list = byPeer.get(m.to);
      if (list) list.push(m);
      else byPeer.set(m.to, [m]);
    }
    for (const [to, batch] of byPeer) {
      const sock = this.socketTo(to);
      if (!sock) continue;
      if (sock.writableLength > MAX_QUEUED_BYTES) {
        this.log.warn('peer socket stuck, reconnecting', { peer: to });
        sock.destroy();
        continue;
      }
      // One stamp per batch: the frames leave together.
      const stamp = this.guard.stamp(to);
      const frames = batch.map((m) => encodeFrame({ ...stamp, m } satisfies PeerFrame));
      sock.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames));
    }
  }

  private socketTo(to: NodeId): Socket | null {
    const existing = this.out.get(to);
    if (existing && !existing.destroyed) return existing;
    if (this.closed) return null;
    const addr = this.peers.get(to);
    if (!addr) return null;
    const now = Date.now();
    if ((this.retryAt.get(to) ?? 0) > now) return null;
    this.retryAt.set(to, now + 100);
    const sock = connect({ host: addr.host, port: addr.port, localAddress: this.bindHost });
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (this.out.get(to) === sock) this.out.delete(to);
    });
    sock.on('data', () => undefined);
    this.out.set(to, sock);
    return sock;
  }

  close(): void {
    this.closed = true;
    for (const s of this.out.values()) s.destroy();
    for (const s of this.inbound) s.destroy();
    this.server?.close();
  }

  get id(): NodeId {
    return this.self;
  }
}
