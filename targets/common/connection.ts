/**
 * A client's TCP connection to a node of an in-repo target: one
 * length-prefixed JSON frame per request (`{ id, ...body }`) and per reply
 * (`{ id, ... }`), replies matched to requests by id. Never throws for the
 * network's sake: an exchange ends in a reply, unsent (certainly not
 * received) or lost (sent, no answer: the node may have acted on it).
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../raft-kv/shell/framing.js';

export type Exchange<Reply> =
  | { kind: 'reply'; frame: Reply }
  /** Never written to the socket: certainly not received. */
  | { kind: 'unsent'; error: string }
  /** Written, then no answer: the server may have acted on it. */
  | { kind: 'lost'; error: string };

export class Connection<Body extends object, Reply extends { id: number }> {
  private readonly pending = new Map<number, (e: Exchange<Reply>) => void>();
  private nextId = 1;
  private closedError: string | null = null;

  private constructor(private readonly sock: Socket) {
    const dec = new FrameDecoder();
    sock.on('data', (chunk) => {
      try {
        for (const f of dec.push(chunk)) {
          const frame = f as Reply;
          const done = this.pending.get(frame.id);
          this.pending.delete(frame.id);
          done?.({ kind: 'reply', frame });
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

  static open<Body extends object, Reply extends { id: number }>(host: string, port: number, timeoutMs: number): Promise<Connection<Body, Reply>> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host, port });
      sock.setNoDelay(true);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new Connection<Body, Reply>(sock));
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

  request(body: Body, timeoutMs: number): Promise<Exchange<Reply>> {
    if (!this.usable) return Promise.resolve({ kind: 'unsent', error: this.closedError ?? 'connection closed' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ kind: 'lost', error: `timed out after ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, (e) => {
        clearTimeout(timer);
        resolve(e);
      });
      this.sock.write(encodeFrame({ id, ...body }));
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
