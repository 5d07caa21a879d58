/**
 * A deterministic, seeded simulation of a Dynamo cluster: cores driven
 * in-process over a simulated network (loss, delay, partitions) with
 * simulated clocks (offsets, for last-write-wins) and crashes that restart
 * from what was persisted. Sticky client sessions read and write a few keys
 * with contexts, as the real client does, and the run is recorded as a
 * history in the harness' model, so the checkers can judge it too.
 *
 * After the faults, the network heals, clients stop and the cluster runs
 * quietly for `settleMs`; then the invariants are checked with what only a
 * simulation knows (every version's dot):
 * - quorum visibility (strict quorums, W + R > N, vclock): a read that began
 *   after a write was acknowledged returns a context that covers the write;
 * - convergence: the homes of every key hold the same siblings;
 * - no acknowledged write lost (vclock): each survives as a sibling, or was
 *   replaced by a write whose context had seen it;
 * - no hint left behind (sloppy quorums).
 * A violation of an invariant the configuration promises is returned in
 * `violations`; the measures (stale reads, lost writes) are returned in
 * `stats` whatever the configuration, so tests can show what it does not promise.
 */
import type { Op } from '../../../harness/history/op.js';
import { EventQueue } from '../../raft-kv/sim/event-queue.js';
import { Rng } from '../../raft-kv/sim/rng.js';
import { DynamoNode } from '../core/node.js';
import { blockingRepairTarget, type QuorumSettings } from '../core/plan.js';
import { dotsOf, type Resolution } from '../core/siblings.js';
import { Ring } from '../core/ring.js';
import { keyIdOf } from '../core/store.js';
import type { ClientReply, DynamoConfig, KeyRecord, Now, PeerMessage } from '../core/types.js';
import { contextCovers, EMPTY_CONTEXT, joinContexts, type Context, type Dot } from '../core/vclock.js';
import { ProcessHistory } from './history.js';

export interface SimFaults {
  partitions: boolean;
  crashes: boolean;
  /** Clock offsets of up to this many ms either way (0: clocks agree). */
  clockOffsetMs: number;
  /** Share of messages lost. */
  loss: number;
}

export interface SimOptions {
  seed: number;
  nodes: number;
  quorum: QuorumSettings;
  resolution: Resolution;
  /** Simulated ms of load and faults, before the heal. */
  durationMs: number;
  /** Quiet ms after the heal, before the final look. */
  settleMs: number;
  sessions: number;
  keys: number;
  /** Gap between one session's operations, and between faults, in simulated ms. */
  opGapMs: [number, number];
  faultGapMs: [number, number];
  faults: SimFaults;
}

export interface SimStats {
  writesAcked: number;
  readsOk: number;
  unavailable: number;
  /** Reads that missed a write acknowledged before they began (by dots). */
  staleReads: number;
  /** Acknowledged writes neither kept as a sibling nor replaced by a write that had seen them. */
  lostWrites: number;
  crashes: number;
  partitions: number;
}

export interface SimResult {
  seed: number;
  violations: string[];
  stats: SimStats;
  /** The values of the writes counted in `stats.lostWrites`. */
  lost: number[];
  /** The clients' history, with a final `converge` op per key (each home's values). */
  history: Op[];
}

const VNODES = 8;

export const SIM_TIMINGS = {
  tickMs: 10,
  requestTimeoutMs: 500,
  clientTimeoutMs: 1000,
  gossipEveryMs: 100,
  downAfterMs: 500,
  antiEntropyEveryMs: 300,
  handoffEveryMs: 300,
};

interface SimNode {
  id: string;
  core: DynamoNode | null;
  durable: Map<string, KeyRecord>;
  incarnation: number;
  /** Wall clock = true time + offset. */
  offsetMs: number;
}

interface WriteFact {
  value: number;
  key: number;
  context: Context;
  invokedAt: number;
  dot?: Dot;
  ackedAt?: number;
}

export function runSimulation(opts: SimOptions): SimResult {
  const rng = new Rng(opts.seed);
  const q = new EventQueue();
  let now = 0;
  const violations: string[] = [];
  const violate = (what: string) => {
    if (violations.length < 20) violations.push(`t=${now}ms ${what}`);
  };
  const stats: SimStats = { writesAcked: 0, readsOk: 0, unavailable: 0, staleReads: 0, lostWrites: 0, crashes: 0, partitions: 0 };
  const ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
  const nodes = new Map<string, SimNode>(ids.map((id) => [id, { id, core: null, durable: new Map(), incarnation: 0, offsetMs: 0 }]));
  const history = new ProcessHistory(() => now);
  let cut: Set<string> | null = null;
  let loading = true;
  const clockOf = (n: SimNode): Now => ({ mono: now, wallUs: Math.round((now + n.offsetMs) * 1000) });

  // --- nodes and network -------------------------------------------------
  const replyHandlers = new Map<string, (r: ClientReply) => void>();
  const boot = (n: SimNode) => {
    n.incarnation++;
    const nodeRng = new Rng((opts.seed * 7919 + n.incarnation * 131 + ids.indexOf(n.id)) >>> 0);
    const cfg: DynamoConfig = {
      id: n.id,
      nodes: ids,
      ...opts.quorum,
      resolution: opts.resolution,
      vnodes: VNODES,
      requestTimeoutMs: SIM_TIMINGS.requestTimeoutMs,
      gossipEveryMs: SIM_TIMINGS.gossipEveryMs,
      downAfterMs: SIM_TIMINGS.downAfterMs,
      antiEntropyEveryMs: SIM_TIMINGS.antiEntropyEveryMs,
      handoffEveryMs: SIM_TIMINGS.handoffEveryMs,
      random: () => nodeRng.next(),
    };
    n.core = new DynamoNode(cfg, n.durable);
    const inc = n.incarnation;
    const tick = () => {
      if (n.core === null || n.incarnation !== inc) return;
      n.core.tick(clockOf(n));
      drive(n);
      q.push(now + SIM_TIMINGS.tickMs, tick);
    };
    q.push(now + rng.int(1, SIM_TIMINGS.tickMs), tick);
  };
  const reachable = (a: string, b: string) => cut === null || cut.has(a) === cut.has(b);
  const deliver = (m: PeerMessage, inc: number) => {
    const from = nodes.get(m.from)!;
    const to = nodes.get(m.to)!;
    if (!reachable(m.from, m.to) || from.incarnation !== inc || !from.core || !to.core) return;
    to.core.receive(m, clockOf(to));
    drive(to);
  };
  const drive = (n: SimNode) => {
    if (!n.core) return;
    for (const e of n.core.drain()) {
      if (e.kind === 'persist') n.durable.set(e.keyId, e.record);
      else if (e.kind === 'reply') replyHandlers.get(`${n.id}/${n.incarnation}/${e.id}`)?.(e.reply);
      else {
        if (!reachable(e.msg.from, e.msg.to) || rng.chance(opts.faults.loss)) continue;
        const delay = rng.chance(0.05) ? rng.int(20, 80) : rng.int(1, 8);
        const inc = n.incarnation;
        q.push(now + delay, () => deliver(e.msg, inc));
      }
    }
  };

  // --- clients -----------------------------------------------------------
  let nextRequest = 1;
  /** Send a request to a node; `done` gets its reply, or undefined after the client's timeout. */
  const call = (node: SimNode, req: Parameters<DynamoNode['request']>[1], done: (r: ClientReply | undefined) => void) => {
    const id = nextRequest++;
    const handle = `${node.id}/${node.incarnation}/${id}`;
    let finished = false;
    const finish = (r: ClientReply | undefined) => {
      if (finished) return;
      finished = true;
      replyHandlers.delete(handle);
      done(r);
    };
    replyHandlers.set(handle, finish);
    q.push(now + SIM_TIMINGS.clientTimeoutMs, () => finish(undefined));
    if (!node.core) return;
    const core = node.core;
    q.push(now + 1, () => {
      if (node.core !== core) return;
      core.request(id, req, clockOf(node));
      drive(node);
    });
  };

  const writes = new Map<number, WriteFact>();
  /** Acknowledged writes, in acknowledgement order, for the visibility check. */
  const acked: WriteFact[] = [];
  let nextValue = 1;
  const visibilityPromised = opts.resolution === 'vclock' && blockingRepairTarget(opts.quorum) !== undefined;

  const session = (index: number) => {
    const home = nodes.get(ids[index % ids.length]!)!;
    let process = index;
    let contexts = new Map<number, Context>();
    const retire = () => {
      process += opts.sessions;
      contexts = new Map();
    };
    const step = () => {
      if (!loading) return;
      const key = rng.int(0, opts.keys - 1);
      const next = () => q.push(now + rng.int(...opts.opGapMs), step);
      if (rng.chance(0.5)) {
        const before = acked.filter((w) => w.key === key);
        history.invoke(process, 'read', [key, null], home.id);
        call(home, { kind: 'get', key }, (r) => {
          if (r?.type === 'got') {
            stats.readsOk++;
            contexts.set(key, joinContexts(contexts.get(key) ?? EMPTY_CONTEXT, r.context));
            history.complete(process, 'ok', 'read', [key, r.values], home.id);
            const missed = before.filter((w) => !contextCovers(r.context, w.dot!));
            if (missed.length > 0 && opts.resolution === 'vclock') {
              stats.staleReads++;
              if (visibilityPromised) violate(`quorum visibility: a read of key ${key} by ${home.id} missed write ${missed[0]!.value} acknowledged at ${missed[0]!.ackedAt}`);
            }
          } else {
            if (r?.type === 'fail' && r.error.startsWith('unavailable')) stats.unavailable++;
            history.complete(process, 'fail', 'read', [key, null], home.id, r?.type === 'fail' || r?.type === 'unknown' ? r.error : 'timed out');
          }
          next();
        });
      } else {
        const value = nextValue++;
        const fact: WriteFact = { value, key, context: contexts.get(key) ?? EMPTY_CONTEXT, invokedAt: now };
        writes.set(value, fact);
        history.invoke(process, 'write', [key, value], home.id);
        call(home, { kind: 'put', key, value, context: fact.context }, (r) => {
          if (r?.type === 'put') {
            stats.writesAcked++;
            fact.dot = r.context.dots.at(-1); // the new version's dot: the last one the context names
            fact.ackedAt = now;
            acked.push(fact);
            contexts.set(key, r.context);
            history.complete(process, 'ok', 'write', [key, value], home.id);
          } else if (r?.type === 'fail') {
            if (r.error.startsWith('unavailable')) stats.unavailable++;
            history.complete(process, 'fail', 'write', [key, value], home.id, r.error);
          } else {
            history.complete(process, 'info', 'write', [key, value], home.id, r?.type === 'unknown' ? r.error : 'timed out');
            retire();
          }
          next();
        });
      }
    };
    q.push(rng.int(1, 50), step);
  };

  // --- faults ------------------------------------------------------------
  const fault = () => {
    if (!loading) return;
    const roll = rng.next();
    if (opts.faults.partitions && roll < 0.4) {
      cut = cut ? null : new Set(rng.shuffle(ids).slice(0, rng.int(1, Math.floor(ids.length / 2))));
      if (cut) stats.partitions++;
    } else if (opts.faults.crashes && roll < 0.7) {
      const n = nodes.get(rng.pick(ids))!;
      if (n.core) {
        n.core = null;
        n.incarnation++;
        stats.crashes++;
        q.push(now + rng.int(50, 800), () => boot(n));
      }
    } else if (opts.faults.clockOffsetMs > 0) {
      const n = nodes.get(rng.pick(ids))!;
      n.offsetMs = rng.chance(0.3) ? 0 : rng.int(-opts.faults.clockOffsetMs, opts.faults.clockOffsetMs);
    }
    q.push(now + rng.int(...opts.faultGapMs), fault);
  };

  for (const n of nodes.values()) boot(n);
  for (let i = 0; i < opts.sessions; i++) session(i);
  q.push(rng.int(...opts.faultGapMs), fault);
  q.push(opts.durationMs, () => {
    loading = false;
    cut = null;
    for (const n of nodes.values()) {
      n.offsetMs = 0;
      if (!n.core) boot(n);
    }
  });
  const end = opts.durationMs + opts.settleMs;
  while (q.size > 0) {
    const ev = q.pop()!;
    if (ev.at > end) break;
    now = ev.at;
    ev.run();
  }

  // --- the final look ----------------------------------------------------
  /** Under vclock, a write that is no sibling must have been replaced by a write whose client had seen it. */
  const replaced = (w: WriteFact) => [...writes.values()].some((o) => o !== w && w.dot !== undefined && contextCovers(o.context, w.dot));
  /**
   * Last-write-wins keeps one of concurrent writes by design; a write is lost
   * there when an older one won: acknowledged before it began, or seen by its
   * client (known here by its dot: writes of unknown outcome have none, so
   * this undercounts what the checkers find through them).
   */
  const olderThan = (a: WriteFact, w: WriteFact) => (a.ackedAt ?? Infinity) < w.invokedAt || (a.dot !== undefined && contextCovers(w.context, a.dot));
  const ring = new Ring(ids, VNODES);
  const lost: number[] = [];
  const converge: { key: number; replicas: Record<string, unknown[]> }[] = [];
  for (let key = 0; key < opts.keys; key++) {
    const keyId = keyIdOf(key);
    const homes = ring.homes(ring.rangeOf(keyId), opts.quorum.n);
    const states = homes.map((id) => nodes.get(id)!.core!.store.siblings(keyId));
    const replicas: Record<string, unknown[]> = {};
    homes.forEach((id, i) => (replicas[id] = states[i]!.map((s) => s.value)));
    converge.push({ key, replicas });
    if (new Set(states.map(dotsOf)).size > 1) violate(`convergence: the homes of key ${key} differ after ${opts.settleMs} ms of quiet: ${homes.map((h, i) => `${h} [${dotsOf(states[i]!)}]`).join(' ')}`);
    const final = states[0] ?? [];
    for (const w of acked) {
      if (w.key !== key || final.some((s) => s.value === w.value)) continue;
      if (opts.resolution === 'vclock' ? replaced(w) : !final.every((s) => olderThan(writes.get(s.value as number)!, w))) continue;
      stats.lostWrites++;
      lost.push(w.value);
      if (opts.resolution === 'vclock') violate(`lost write: ${w.value} to key ${key}, acknowledged at ${w.ackedAt}, is neither a sibling nor replaced`);
    }
  }
  history.final(converge);
  if (opts.quorum.sloppy) {
    for (const n of nodes.values()) if (n.core!.store.hintCount > 0) violate(`${n.id} still holds ${n.core!.store.hintCount} hints after ${opts.settleMs} ms of quiet`);
  }
  return { seed: opts.seed, violations, stats, lost, history: history.ops };
}
