/**
 * TCP between peers (targets/common/peer-sockets.ts): frames of Raft
 * messages stamped by the clock guard (the sender's wall clock and an echo
 * of the receiver's last stamp); inbound frames the guard admits go to
 * `onMessage`. A message that cannot be sent right away is dropped: Raft
 * retries.
 */
import { encodeFrame } from './framing.js';
import type { Message, NodeId } from '../raft/types.js';
import type { Logger } from './log.js';
import type { ClockOffsetGuard, ClockStamp } from './clock-guard.js';
import { PeerSockets, type PeerAddress } from '../../common/peer-sockets.js';

export type { PeerAddress };

/** What goes over the wire: a message and the guard's stamp. */
interface PeerFrame extends ClockStamp {
  m: Message;
}

/** Outbound bytes allowed to queue on one peer socket before it is considered stuck (e.g. partitioned). */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export class PeerTransport {
  private readonly sockets: PeerSockets;

  constructor(
    private readonly self: NodeId,
    bindHost: string,
    peers: ReadonlyMap<NodeId, PeerAddress>,
    private readonly onMessage: (m: Message) => void,
    log: Logger,
    private readonly guard: ClockOffsetGuard,
  ) {
    this.sockets = new PeerSockets(bindHost, peers, log, MAX_QUEUED_BYTES);
  }

  listen(port: number): Promise<void> {
    return this.sockets.listen(port, (f) => {
      const { m, ...stamp } = f as PeerFrame;
      if (this.guard.admit(m.from, stamp)) this.onMessage(m);
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
      // One stamp per batch, taken only for a peer the batch can go to: the frames leave together.
      this.sockets.write(to, () => {
        const stamp = this.guard.stamp(to);
        return batch.map((m) => encodeFrame({ ...stamp, m } satisfies PeerFrame));
      });
    }
  }

  close(): void {
    this.sockets.close();
  }

  get id(): NodeId {
    return this.self;
  }
}
