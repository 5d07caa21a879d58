/**
 * TCP between nodes (targets/common/peer-sockets.ts): one JSON frame per
 * peer message. A message that cannot be sent at once is dropped, as a lost
 * packet: requests time out, gossip, handoff and anti-entropy try again.
 */
import { encodeFrame } from '../../raft-kv/shell/framing.js';
import type { Logger } from '../../raft-kv/shell/log.js';
import { PeerSockets, type PeerAddress } from '../../common/peer-sockets.js';
import type { PeerMessage } from '../core/types.js';

/** Bytes allowed to queue on one peer socket before it counts as stuck (a partition drops packets). */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export class PeerTransport {
  private readonly sockets: PeerSockets;

  constructor(
    bindHost: string,
    peers: ReadonlyMap<string, PeerAddress>,
    private readonly onMessage: (m: PeerMessage) => void,
    log: Logger,
  ) {
    this.sockets = new PeerSockets(bindHost, peers, log, MAX_QUEUED_BYTES);
  }

  listen(port: number): Promise<void> {
    return this.sockets.listen(port, (f) => this.onMessage(f as PeerMessage));
  }

  send(messages: readonly PeerMessage[]): void {
    const byPeer = new Map<string, PeerMessage[]>();
    for (const m of messages) (byPeer.get(m.to) ?? byPeer.set(m.to, []).get(m.to)!).push(m);
    for (const [to, batch] of byPeer) this.sockets.write(to, () => batch.map((m) => encodeFrame(m)));
  }

  /** Reconnect to a peer: its old connection may be stuck in retransmissions backed off during a partition. */
  reset(peer: string): void {
    this.sockets.reset(peer);
  }

  close(): void {
    this.sockets.close();
  }
}
