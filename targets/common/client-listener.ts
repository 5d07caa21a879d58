/**
 * The client side of an in-repo target's node: a TCP server that reads
 * length-prefixed JSON frames from each client connection and hands each
 * batch to the node. A connection that sends a frame the decoder cannot
 * read, or one the node rejects, is closed: a client that speaks another
 * protocol gets no answer rather than a wrong one.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FrameDecoder } from '../raft-kv/shell/framing.js';

/**
 * What the node does with one connection's frames: `onFrame` for each
 * (false closes the connection and drops the rest of the batch), then
 * `afterBatch` once per chunk read.
 */
export interface ClientHandler {
  onFrame(frame: unknown, sock: Socket): boolean;
  afterBatch(): void;
}

export class ClientListener {
  private readonly clients = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  /** Listens on `host:port`; resolves once listening, rejects when the port cannot be bound. */
  static listen(host: string, port: number, handler: ClientHandler): Promise<ClientListener> {
    return new Promise((resolve, reject) => {
      let listener: ClientListener;
      const server = createServer((sock) => listener.serve(sock, handler));
      listener = new ClientListener(server);
      server.once('error', reject);
      server.listen(port, host, () => resolve(listener));
    });
  }

  /** Stops accepting and drops every open connection. */
  close(): void {
    this.server.close();
    for (const s of this.clients) s.destroy();
  }

  private serve(sock: Socket, handler: ClientHandler): void {
    this.clients.add(sock);
    sock.setNoDelay(true);
    const dec = new FrameDecoder();
    sock.on('data', (chunk) => {
      let frames: unknown[];
      try {
        frames = dec.push(chunk);
      } catch {
        sock.destroy();
        return;
      }
      for (const f of frames) {
        if (!handler.onFrame(f, sock)) {
          sock.destroy();
          break;
        }
      }
      handler.afterBatch();
    });
    sock.on('error', () => undefined);
    sock.on('close', () => this.clients.delete(sock));
  }
}
