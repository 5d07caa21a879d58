/**
 * TCP between the nodes of an in-repo target, below its message types:
 * - outbound, one connection per peer, reconnected at most every 100 ms (on
 *   the monotonic clock: a wall clock set back by a clock fault must not hold
 *   reconnections off); bytes that cannot be sent at once queue on the
 *   socket, and a socket with too many bytes queued (a partition drops its
 *   packets) is dropped and reconnected, what it held lost, as packets are;
 *   a target may also `reset` the connection to a peer it has not heard from
 *   (TCP backs its retransmissions off to seconds during a partition, and
 *   the kernel's buffer hides them, so a healed link could stay silent for
 *   seconds more; a fresh connection gets through at once);
 * - inbound, a server handing every frame to `onFrame` (a frame that cannot
 *   be decoded closes its connection).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../raft-kv/shell/framing.js';
import type { Logger } from '../raft-kv/shell/log.js';

export interface PeerAddress {
  host: string;
  port: number;
}

const RECONNECT_MS = 100;

export class PeerSockets {
  private server: Server | null = null;
  private readonly out = new Map<string, Socket>();
  private readonly inbound = new Set<Socket>();
  private readonly retryAt = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly bindHost: string,
    private readonly peers: ReadonlyMap<string, PeerAddress>,
    private readonly log: Logger,
    /** Outbound bytes allowed to queue on one peer socket before it counts as stuck. */
    private readonly maxQueuedBytes: number,
  ) {}

  listen(port: number, onFrame: (frame: unknown) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => {
        this.inbound.add(sock);
        sock.setNoDelay(true);
        const dec = new FrameDecoder();
        sock.on('data', (chunk) => {
          try {
            for (const f of dec.push(chunk)) onFrame(f);
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

  /**
   * Write frames to a peer when a connection to it is (or can be) open and
   * not stuck; `encode` is called only then. Whether they were written.
   */
  write(to: string, encode: () => readonly Buffer[]): boolean {
    const sock = this.socketTo(to);
    if (!sock) return false;
    if (sock.writableLength > this.maxQueuedBytes) {
      this.log.warn('peer socket stuck, reconnecting', { peer: to, queuedBytes: sock.writableLength });
      sock.destroy();
      return false;
    }
    const frames = encode();
    sock.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
    return true;
  }

  private socketTo(to: string): Socket | null {
    const existing = this.out.get(to);
    if (existing && !existing.destroyed) return existing;
    const addr = this.peers.get(to);
    if (this.closed || !addr) return null;
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

  /** Drop the connection to a peer (what it held is lost); the next write opens a fresh one. */
  reset(to: string): void {
    const sock = this.out.get(to);
    if (!sock) return;
    this.out.delete(to);
    sock.destroy();
  }

  close(): void {
    this.closed = true;
    for (const s of this.out.values()) s.destroy();
    for (const s of this.inbound) s.destroy();
    this.server?.close();
  }
}

/** `n1=host:port,n2=host:port` as a map; `fail` is called with what is wrong. */
export function parsePeers(spec: string, fail: (msg: string) => never): Map<string, PeerAddress> {
  const peers = new Map<string, PeerAddress>();
  for (const part of spec.split(',').filter(Boolean)) {
    const m = /^([^=]+)=(.+):(\d+)$/.exec(part);
    if (!m) fail(`bad --peers entry ${part} (want name=host:port)`);
    peers.set(m[1]!, { host: m[2]!, port: Number(m[3]) });
  }
  return peers;
}
