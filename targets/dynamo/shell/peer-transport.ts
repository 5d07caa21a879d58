/**
 * TCP between nodes: one outbound connection per peer (reconnecting at most
 * every 100 ms), length-prefixed JSON frames of peer messages; inbound
 * connections hand every frame to `onMessage`. A message that cannot be
 * sent at once is dropped, as a lost packet: requests time out, gossip,
 * handoff and anti-entropy try again.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../raft-kv/shell/framing.js';
import type { PeerMessage } from '../core/types.js';
import type { Logger } from '../../raft-kv/shell/log.js';

export interface PeerAddress {
  host: string;
  port: number;
}

/** Bytes allowed to queue on one peer socket before it counts as stuck (a partition drops packets). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const RECONNECT_MS = 100;

export class PeerTransport {
  private server: Server | null = null;
  private readonly out = new Map<string, Socket>();
  private readonly inbound = new Set<Socket>();
  private readonly retryAt = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly bindHost: string,
    private readonly peers: ReadonlyMap<string, PeerAddress>,
    private readonly onMessage: (m: PeerMessage) => void,
    private readonly log: Logger,
  ) {}

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => {
        this.inbound.add(sock);
        sock.setNoDelay(true);
        const dec = new FrameDecoder();
        sock.on('data', (chunk) => {
          try {
            for (const m of dec.push(chunk)) this.onMessage(m as PeerMessage);
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

  send(messages: readonly PeerMessage[]): void {
    const byPeer = new Map<string, Buffer[]>();
    for (const m of messages) (byPeer.get(m.to) ?? byPeer.set(m.to, []).get(m.to)!).push(encodeFrame(m));
    for (const [to, frames] of byPeer) {
      const sock = this.socketTo(to);
      if (!sock) continue;
      if (sock.writableLength > MAX_QUEUED_BYTES) {
        this.log.warn('peer socket stuck, reconnecting', { peer: to });
        sock.destroy();
        continue;
      }
      sock.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
    }
  }

  private socketTo(to: string): Socket | null {
    const existing = this.out.get(to);
    if (existing && !existing.destroyed) return existing;
    const addr = this.peers.get(to);
    if (this.closed || !addr) return null;
    // Monotonic: a wall clock set back by a clock fault must not hold reconnections off.
    const now = performance.now();
    if ((this.retryAt.get(to) ?? 0) > now) return null;
    this.retryAt.set(to, now + RECONNECT_MS);
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
}
