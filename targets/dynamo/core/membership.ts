/**
 * Gossip membership with failure detection. Every gossip round a node bumps
 * its own heartbeat and sends its table (each member's highest heartbeat it
 * knows of) to every peer; tables merge by taking the higher heartbeat, so
 * news of a member spreads through intermediaries too.
 *
 * Whether a peer is up, for the purpose of sending it requests, is decided
 * locally, as Dynamo does: up when this node heard from it directly (any
 * message) within `downAfterMs` of its monotonic clock. A peer that others
 * still hear from but this node does not (a partition) is down here, while
 * its gossiped heartbeat keeps rising (`staleMs` stays small).
 */

export interface MemberView {
  node: string;
  heartbeat: number;
  /** Heard from directly within the failure detector's window. */
  up: boolean;
  /** Ms since this node last heard from it directly (undefined: never). */
  silentMs?: number;
  /** Ms since its heartbeat last rose, as far as the gossip goes. */
  staleMs?: number;
}

export class Membership {
  private readonly heartbeats = new Map<string, number>();
  /** Monotonic ms at which each peer was last heard from directly. */
  private readonly heardAt = new Map<string, number>();
  /** Monotonic ms at which each member's heartbeat last rose. */
  private readonly roseAt = new Map<string, number>();

  constructor(
    readonly self: string,
    readonly members: readonly string[],
    private readonly downAfterMs: number,
  ) {
    for (const m of members) this.heartbeats.set(m, 0);
  }

  get peers(): string[] {
    return this.members.filter((m) => m !== this.self);
  }

  /** A new gossip round: our heartbeat rises; the table to send. */
  beat(now: number): Record<string, number> {
    this.heartbeats.set(this.self, (this.heartbeats.get(this.self) ?? 0) + 1);
    this.roseAt.set(this.self, now);
    return Object.fromEntries(this.heartbeats);
  }

  /** Any message from `peer` arrived. */
  heard(peer: string, now: number): void {
    if (peer !== this.self && this.heartbeats.has(peer)) this.heardAt.set(peer, now);
  }

  /** A gossiped table arrived from `peer`. */
  merge(peer: string, table: Readonly<Record<string, number>>, now: number): void {
    this.heard(peer, now);
    for (const [m, hb] of Object.entries(table)) {
      const known = this.heartbeats.get(m);
      if (known === undefined || m === this.self) continue; // members are fixed at start; our own counter is ours
      if (hb > known) {
        this.heartbeats.set(m, hb);
        this.roseAt.set(m, now);
      }
    }
  }

  isUp(node: string, now: number): boolean {
    if (node === this.self) return true;
    const at = this.heardAt.get(node);
    return at !== undefined && now - at < this.downAfterMs;
  }

  view(now: number): MemberView[] {
    return this.members.map((node) => {
      const heard = this.heardAt.get(node);
      const rose = this.roseAt.get(node);
      return {
        node,
        heartbeat: this.heartbeats.get(node) ?? 0,
        up: this.isUp(node, now),
        ...(heard === undefined || node === this.self ? {} : { silentMs: now - heard }),
        ...(rose === undefined ? {} : { staleMs: now - rose }),
      };
    });
  }
}
