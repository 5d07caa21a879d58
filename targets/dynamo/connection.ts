/** One TCP connection from a client to a node's client port, requests matched to replies by id. */
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../raft-kv/shell/framing.js';
import type { ClientReply, ClientRequest } from './core/types.js';
import type { ClientFrame, ReplyFrame } from './shell/protocol.js';

export type Exchange =
  | { kind: 'reply'; reply: ClientReply }
  /** Never written to the socket: certainly not received. */
  | { kind: 'unsent'; error: string }
  /** Written, then no answer: the node may have acted on it. */
  | { kind: 'lost'; error: string };

export class Connection {
  private readonly pending = new Map<number, (e: Exchange) => void>();
  private nextId = 1;
  private closedError: string | null = null;

  private constructor(private readonly sock: Socket) {
    const dec = new FrameDecoder();
    sock.on('data', (chunk) => {
      try {
        for (const f of dec.push(chunk) as ReplyFrame[]) {
          const done = this.pending.get(f.id);
          this.pending.delete(f.id);
          done?.({ kind: 'reply', reply: f.reply });
        }
      } catch (err) {
        sock.destroy(err as Error);
      }
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.closedError = 'connection closed';
      for (const done of this.pending.values()) done({ kind: 'lost', error: 'connection closed before the reply' });
      this.pending.clear();
    });
  }

  static open(host: string, port: number, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      sock.setNoDelay(true);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new Connection(sock));
      });
      sock.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  get usable(): boolean {
    return this.closedError === null && !this.sock.destroyed;
  }

  request(req: ClientRequest, timeoutMs: number): Promise<Exchange> {
    if (!this.usable) return Promise.resolve({ kind: 'unsent', error: this.closedError ?? 'connection closed' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'lost', error: `no reply within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, (e) => {
        clearTimeout(timer);
        resolve(e);
      });
      this.sock.write(encodeFrame({ id, req } satisfies ClientFrame));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
