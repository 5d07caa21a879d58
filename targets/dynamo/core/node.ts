/**
 * One Dynamo node as a sans-I/O state machine. The driver feeds it client
 * requests (`request`), peer messages (`receive`) and timer ticks (`tick`),
 * each with the node's clocks, and drains the effects: records to persist,
 * messages to send, replies to clients, in that order.
 *
 * Any node coordinates any request. A write becomes a new version on the
 * coordinator (which keeps every version it made, so it never reuses a dot)
 * and the coordinator's whole state of the key goes to the replicas the
 * quorum plan names; the client hears back after W of them stored it. A read
 * asks the plan's replicas, answers once R replied with the merge of their
 * states (all siblings, and the merged clock as the context), and repairs the
 * replicas that were behind: before answering when reads are promised to be
 * monotonic (strict W + R > N), in the background otherwise. Gossip keeps the
 * failure detector fed; hinted handoff and anti-entropy bring replicas
 * together after faults.
 */
import { Membership } from './membership.js';
import { differingBuckets } from './merkle.js';
import { blockingRepairTarget, readPlan, writePlan } from './plan.js';
import { Ring } from './ring.js';
import { applyWrite, contextOf, dotsOf, highestCounterIn, merge, NO_SIBLINGS, sameSiblings, type Siblings } from './siblings.js';
import { keyIdOf, KeyStore } from './store.js';
import { highestCounter, withDot, type Context } from './vclock.js';
import type { ClientReply, ClientRequest, DynamoConfig, Effect, KeyRecord, NodeStatus, Now, PeerMessage } from './types.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Outgoing = DistributiveOmit<PeerMessage, 'from'>;

interface PendingPut {
  kind: 'put';
  client: number;
  acks: Set<string>;
  deadline: number;
  /** What the client has seen once the write is done: the context of its next write. */
  context: Context;
}

interface PendingGet {
  kind: 'get';
  client: number;
  keyId: string;
  key: unknown;
  targets: string[];
  responses: Map<string, Siblings>;
  deadline: number;
  /** Set once R replied and the result must first reach more replicas (blocking read repair). */
  repair?: { merged: Siblings; holders: Set<string>; need: number };
}

export class DynamoNode {
  readonly id: string;
  readonly store: KeyStore;
  private readonly ring: Ring;
  private readonly membership: Membership;
  /** For each peer, the ranges both of us replicate (what anti-entropy compares). */
  private readonly shared = new Map<string, number[]>();
  private readonly pending = new Map<number, PendingPut | PendingGet>();
  private effects: Effect[] = [];
  private nextReq = 1;
  private lastTs = 0;
  private nextGossipAt = 0;
  private nextAntiEntropyAt = 0;
  private nextHandoffAt = 0;

  constructor(
    private readonly cfg: DynamoConfig,
    durable: ReadonlyMap<string, KeyRecord>,
  ) {
    if (!cfg.nodes.includes(cfg.id)) throw new Error(`${cfg.id} is not among the nodes`);
    this.id = cfg.id;
    this.ring = new Ring(cfg.nodes, cfg.vnodes);
    this.membership = new Membership(cfg.id, cfg.nodes, cfg.downAfterMs);
    this.store = new KeyStore(cfg.id, this.ring, cfg.n, cfg.resolution, (keyId, record) => this.effects.push({ kind: 'persist', keyId, record }), durable);
    for (const peer of this.membership.peers) {
      const ranges: number[] = [];
      for (let r = 0; r < this.ring.rangeCount; r++) {
        const homes = this.ring.homes(r, cfg.n);
        if (homes.includes(cfg.id) && homes.includes(peer)) ranges.push(r);
      }
      this.shared.set(peer, ranges);
    }
  }

  /** Effects produced since the last call, in the order the driver must carry them out. */
  drain(): Effect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  request(id: number, req: ClientRequest, now: Now): void {
    switch (req.kind) {
      case 'get':
        return this.get(id, req.key, now);
      case 'put':
        return this.put(id, req.key, req.value, req.context, now);
      case 'local':
        return this.reply(id, {
          type: 'local',
          states: req.keys.map((key) => {
            const keyId = keyIdOf(key);
            const siblings = this.store.siblings(keyId);
            return { key, replica: this.store.isHome(this.store.rangeOf(keyId)), values: siblings.map((s) => s.value), dots: dotsOf(siblings) };
          }),
        });
      case 'status':
        return this.reply(id, { type: 'status', status: this.status(now) });
    }
  }

  status(now: Now): NodeStatus {
    return { node: this.id, members: this.membership.view(now.mono), keys: this.store.size, hints: this.store.hintCount, pending: this.pending.size };
  }

  receive(m: PeerMessage, now: Now): void {
    if (m.to !== this.id) return;
    this.membership.heard(m.from, now.mono);
    switch (m.type) {
      case 'gossip':
        return this.membership.merge(m.from, m.table, now.mono);
      case 'replicate':
        this.store.mergeIn(m, m.hintFor);
        if (m.req !== 0) this.send({ type: 'replicate-ack', to: m.from, req: m.req });
        return;
      case 'replicate-ack':
        return this.acked(m.req, m.from);
      case 'read':
        return this.send({ type: 'read-resp', to: m.from, req: m.req, siblings: this.store.siblings(m.keyId) });
      case 'read-resp':
        return this.readReply(m.req, m.from, m.siblings);
      case 'handoff':
        this.store.mergeIn(m);
        return this.send({ type: 'handoff-ack', to: m.from, keyId: m.keyId, dots: dotsOf(m.siblings) });
      case 'handoff-ack':
        if (dotsOf(this.store.siblings(m.keyId)) === m.dots) this.store.dropHint(m.keyId, m.from);
        return;
      case 'ae-roots': {
        const differ = m.roots.filter(([range, root]) => this.store.isHome(range) && this.store.root(range) !== root);
        if (differ.length > 0) this.send({ type: 'ae-leaves', to: m.from, ranges: differ.map(([range]) => [range, this.store.leaves(range)]) });
        return;
      }
      case 'ae-leaves': {
        const buckets = m.ranges.flatMap(([range, leaves]) => differingBuckets(this.store.leaves(range), leaves).map((b): [number, number] => [range, b]));
        if (buckets.length > 0) this.send({ type: 'ae-data', to: m.from, buckets, entries: this.store.entriesIn(buckets), reply: true });
        return;
      }
      case 'ae-data':
        for (const e of m.entries) this.store.mergeIn(e);
        if (m.reply) this.send({ type: 'ae-data', to: m.from, buckets: m.buckets, entries: this.store.entriesIn(m.buckets), reply: false });
        return;
    }
  }

  tick(now: Now): void {
    this.expire(now);
    if (now.mono >= this.nextGossipAt) {
      this.nextGossipAt = now.mono + this.cfg.gossipEveryMs;
      const table = this.membership.beat(now.mono);
      for (const peer of this.membership.peers) this.send({ type: 'gossip', to: peer, table });
    }
    if (now.mono >= this.nextHandoffAt) {
      this.nextHandoffAt = now.mono + this.cfg.handoffEveryMs;
      for (const { keyId, rec } of this.store.hinted()) {
        for (const home of rec.hints) if (this.up(home, now)) this.send({ type: 'handoff', to: home, keyId, key: rec.key, siblings: rec.siblings });
      }
    }
    if (now.mono >= this.nextAntiEntropyAt) {
      this.nextAntiEntropyAt = now.mono + this.cfg.antiEntropyEveryMs;
      const peers = this.membership.peers.filter((p) => this.up(p, now) && this.shared.get(p)!.length > 0);
      if (peers.length > 0) {
        const peer = peers[Math.floor(this.cfg.random() * peers.length)]!;
        this.send({ type: 'ae-roots', to: peer, roots: this.shared.get(peer)!.map((r) => [r, this.store.root(r)]) });
      }
    }
  }

  private up(node: string, now: Now): boolean {
    return this.membership.isUp(node, now.mono);
  }

  private send(m: Outgoing): void {
    this.effects.push({ kind: 'send', msg: { ...m, from: this.id } as PeerMessage });
  }

  private reply(id: number, reply: ClientReply): void {
    this.effects.push({ kind: 'reply', id, reply });
  }

  /** A wall-clock timestamp (µs) for last-write-wins: never twice the same on this node, never behind its last. */
  private timestamp(now: Now): number {
    this.lastTs = Math.max(now.wallUs, this.lastTs + 1);
    return this.lastTs;
  }

  private put(client: number, key: unknown, value: unknown, context: Context, now: Now): void {
    const keyId = keyIdOf(key);
    const plan = writePlan(this.ring.preferenceList(this.store.rangeOf(keyId)), this.cfg, (n) => this.up(n, now));
    if ('unavailable' in plan) return this.reply(client, { type: 'fail', error: plan.unavailable });
    const rec = this.store.record(keyId);
    const local = rec?.siblings ?? NO_SIBLINGS;
    const dot = { node: this.id, counter: Math.max(highestCounterIn(local, this.id), highestCounter(context, this.id), rec?.issued ?? 0) + 1 };
    const siblings = applyWrite(local, { value, context, dot, ts: this.timestamp(now) }, this.cfg.resolution);
    const mine = plan.targets.find((t) => t.node === this.id);
    const hints = mine?.hintFor !== undefined && !rec?.hints.includes(mine.hintFor) ? [...(rec?.hints ?? []), mine.hintFor] : (rec?.hints ?? []);
    this.store.write(keyId, { key, siblings, issued: dot.counter, hints });
    const req = this.nextReq++;
    const p: PendingPut = { kind: 'put', client, acks: new Set(mine ? [this.id] : []), deadline: now.mono + this.cfg.requestTimeoutMs, context: withDot(context, dot) };
    this.pending.set(req, p);
    for (const t of plan.targets) {
      if (t.node !== this.id) this.send({ type: 'replicate', to: t.node, req, keyId, key, siblings, ...(t.hintFor === undefined ? {} : { hintFor: t.hintFor }) });
    }
    this.checkPut(req, p);
  }

  private checkPut(req: number, p: PendingPut): void {
    if (p.acks.size >= this.cfg.w) this.finish(req, { type: 'put', context: p.context });
  }

  private get(client: number, key: unknown, now: Now): void {
    const keyId = keyIdOf(key);
    const plan = readPlan(this.ring.preferenceList(this.store.rangeOf(keyId)), this.cfg, (n) => this.up(n, now));
    if ('unavailable' in plan) return this.reply(client, { type: 'fail', error: plan.unavailable });
    const req = this.nextReq++;
    const g: PendingGet = {
      kind: 'get',
      client,
      keyId,
      key,
      targets: plan.targets.map((t) => t.node),
      responses: new Map(),
      deadline: now.mono + this.cfg.requestTimeoutMs,
    };
    this.pending.set(req, g);
    for (const node of g.targets) {
      if (node === this.id) g.responses.set(node, this.store.siblings(keyId));
      else this.send({ type: 'read', to: node, req, keyId });
    }
    this.checkGet(req, g);
  }

  private readReply(req: number, from: string, siblings: Siblings): void {
    const g = this.pending.get(req);
    if (g?.kind !== 'get' || g.responses.has(from)) return;
    g.responses.set(from, siblings);
    if (g.repair && sameSiblings(siblings, g.repair.merged)) g.repair.holders.add(from);
    this.checkGet(req, g);
  }

  private acked(req: number, from: string): void {
    const p = this.pending.get(req);
    if (p?.kind === 'put') {
      p.acks.add(from);
      this.checkPut(req, p);
    } else if (p?.kind === 'get' && p.repair) {
      p.repair.holders.add(from);
      this.checkGet(req, p);
    }
  }

  private checkGet(req: number, g: PendingGet): void {
    if (!g.repair) {
      if (g.responses.size < this.cfg.r) return;
      let merged: Siblings = NO_SIBLINGS;
      for (const s of g.responses.values()) merged = merge(merged, s, this.cfg.resolution);
      const behind = [...g.responses].filter(([, s]) => !sameSiblings(s, merged)).map(([node]) => node);
      const holders = new Set([...g.responses.keys()].filter((n) => !behind.includes(n)));
      const need = blockingRepairTarget(this.cfg);
      if (need === undefined || holders.size >= need) {
        this.repair(g, merged, behind, 0);
        return this.finish(req, { type: 'got', values: merged.map((s) => s.value), context: contextOf(merged) });
      }
      g.repair = { merged, holders, need };
      this.repair(g, merged, g.targets.filter((n) => !holders.has(n)), req);
    }
    const { merged, holders, need } = g.repair;
    if (holders.size >= need) this.finish(req, { type: 'got', values: merged.map((s) => s.value), context: contextOf(merged) });
  }

  /** Send a read's result to replicas that were behind; `req` 0 asks for no acknowledgement. */
  private repair(g: PendingGet, merged: Siblings, nodes: readonly string[], req: number): void {
    for (const node of nodes) {
      if (node === this.id) {
        this.store.mergeIn({ keyId: g.keyId, key: g.key, siblings: merged });
        g.repair?.holders.add(node);
      } else {
        this.send({ type: 'replicate', to: node, req, keyId: g.keyId, key: g.key, siblings: merged });
      }
    }
  }

  private finish(req: number, reply: ClientReply): void {
    const p = this.pending.get(req);
    if (!p) return;
    this.pending.delete(req);
    this.reply(p.client, reply);
  }

  private expire(now: Now): void {
    for (const [req, p] of this.pending) {
      if (p.deadline > now.mono) continue;
      const ms = this.cfg.requestTimeoutMs;
      if (p.kind === 'put') {
        // Some replicas may have stored it: the outcome is unknown.
        this.finish(req, { type: 'unknown', error: `timed out after ${ms} ms: ${p.acks.size} of W=${this.cfg.w} replicas acknowledged` });
      } else if (p.repair) {
        this.finish(req, { type: 'fail', error: `timed out after ${ms} ms repairing: ${p.repair.holders.size} of ${p.repair.need} replicas hold the result` });
      } else {
        this.finish(req, { type: 'fail', error: `timed out after ${ms} ms: ${p.responses.size} of R=${this.cfg.r} replicas answered` });
      }
    }
  }
}
