/**
 * A deterministic, seeded simulation of a raft-kv cluster: replicas driven
 * in-process over a simulated network (loss, delay, reordering, duplication,
 * partitions) and simulated clocks, with crashes that restart from durable
 * state. Safety checks run as it goes; `runSimulation` returns every
 * violation it saw.
 */
import { Replica, type ClientReply, type ReadMode } from '../replica.js';
import { LEASE_DRIFT_MARGIN, type CoreBugs } from '../raft/core.js';
import type { DurableState, Entry, Message, NodeId, Ready } from '../raft/types.js';
import type { KvOp } from '../kv/ops.js';
import { EventQueue } from './event-queue.js';
import { Rng } from './rng.js';
import { SimStore } from './store.js';

export interface SimOptions {
  seed: number;
  nodes: number;
  /** Simulated milliseconds of faults and load, before healing. */
  durationMs: number;
  readMode: ReadMode;
  bugs: { core: CoreBugs; localReads: boolean; lazyStorage: boolean };
  /** Clock faults on the lease clock: rates in [minRate, maxRate], steps back up to maxStepBackMs. */
  clock: { minRate: number; maxRate: number; maxStepBackMs: number };
  /** Gap between client requests and between faults, in simulated ms. */
  clientGapMs: [number, number];
  faultGapMs: [number, number];
  /**
   * 'mixed': random partitions, crashes, bounces, clock and loss changes.
   * 'elections': aimed at elections: crash leaders, and bounce voters while a candidate still campaigns.
   * 'leases': aimed at leases: cut the leader off and slow or rewind its clock, then heal.
   */
  faults: 'mixed' | 'elections' | 'leases';
  /** 'elections' only: chance that a leader is crashed or cut off right after it takes a write. */
  leaderFaultAfterWrite?: number;
  /** Stop after this many events (a livelock is reported as a violation). */
  maxEvents?: number;
}

export interface SimResult {
  seed: number;
  violations: string[];
  stats: { leaders: number; applied: number; reads: number; writes: number; crashes: number };
}

const TICK_MS = 10;
const ELECTION_TICKS = 15;
const HEARTBEAT_TICKS = 2;

interface SimNode {
  id: NodeId;
  store: SimStore;
  replica: Replica | null;
  /** Lease clock: value = base + (t - since) * rate. */
  clock: { base: number; since: number; rate: number };
  incarnation: number;
  wasLeaderInTerm: number;
}

function entryKey(e: Entry): string {
  return e.kind === 'noop' ? `${e.term}:noop` : `${e.term}:${JSON.stringify(e.data)}`;
}

export function runSimulation(opts: SimOptions): SimResult {
  const rng = new Rng(opts.seed);
  const q = new EventQueue();
  let now = 0;
  const ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
  const violations: string[] = [];
  const violate = (what: string) => {
    if (violations.length < 20) violations.push(`t=${now}ms ${what}`);
  };
  const stats = { leaders: 0, applied: 0, reads: 0, writes: 0, crashes: 0 };

  const nodes = new Map<NodeId, SimNode>();
  const leaderOfTerm = new Map<number, NodeId>();
  const appliedAt = new Map<number, string>();
  /** Highest log index of a write acknowledged to a client. */
  let ackedIndex = 0;
  let cut: Set<NodeId> | null = null;
  let loss = 0.02;
  let clientSeq = 0;

  const clockOf = (n: SimNode) => n.clock.base + (now - n.clock.since) * n.clock.rate;

  const boot = (n: SimNode) => {
    n.incarnation++;
    const durable: DurableState = n.store.load();
    const nodeRng = new Rng((opts.seed * 7919 + n.incarnation * 131 + ids.indexOf(n.id)) >>> 0);
    n.replica = new Replica(
      {
        id: n.id,
        voters: ids,
        electionTicks: ELECTION_TICKS,
        heartbeatTicks: HEARTBEAT_TICKS,
        random: () => nodeRng.next(),
        clock: () => clockOf(n),
        tickMs: TICK_MS,
        leaseDriftMargin: LEASE_DRIFT_MARGIN,
        maxEntriesPerMessage: 64,
        leaseReads: opts.readMode === 'lease',
        bugs: opts.bugs.core,
        readMode: opts.readMode,
        localReads: opts.bugs.localReads,
        snapshotEvery: 40,
      },
      durable,
    );
    const inc = n.incarnation;
    const tick = () => {
      if (n.replica === null || n.incarnation !== inc) return;
      n.replica.tick();
      drive(n);
      q.push(now + TICK_MS, tick);
    };
    q.push(now + rng.int(1, TICK_MS), tick);
  };

  const reachable = (a: NodeId, b: NodeId) => cut === null || cut.has(a) === cut.has(b);

  const deliver = (m: Message, senderIncarnation: number) => {
    if (!reachable(m.from, m.to)) return;
    // A node that crashed since never got its queued messages out.
    if (nodes.get(m.from)?.incarnation !== senderIncarnation || !nodes.get(m.from)?.replica) return;
    const n = nodes.get(m.to);
    if (!n?.replica) return;
    n.replica.receive(m);
    drive(n);
  };

  const send = (m: Message) => {
    if (!reachable(m.from, m.to) || rng.chance(loss)) return;
    const delay = rng.chance(0.05) ? rng.int(20, 80) : rng.int(1, 8);
    const inc = nodes.get(m.from)?.incarnation ?? -1;
    q.push(now + delay, () => deliver(m, inc));
    if (rng.chance(0.01)) q.push(now + rng.int(1, 100), () => deliver(m, inc));
  };

  const checkReady = (n: SimNode, rd: Ready) => {
    for (const e of rd.committed) {
      const k = entryKey(e);
      const prev = appliedAt.get(e.index);
      if (prev === undefined) {
        appliedAt.set(e.index, k);
        stats.applied++;
      } else if (prev !== k) {
        violate(`state-machine safety: ${n.id} applied ${k} at ${e.index}, another node applied ${prev}`);
      }
    }
  };

  const checkLeader = (n: SimNode) => {
    const core = n.replica?.core;
    if (!core || core.role !== 'leader' || n.wasLeaderInTerm === core.term) return;
    n.wasLeaderInTerm = core.term;
    stats.leaders++;
    const other = leaderOfTerm.get(core.term);
    if (other !== undefined && other !== n.id) violate(`election safety: ${other} and ${n.id} both lead term ${core.term}`);
    leaderOfTerm.set(core.term, n.id);
    for (const [index, k] of appliedAt) {
      if (index <= core.log.snapshotIndex()) continue;
      const e = core.log.entry(index);
      if (!e || entryKey(e) !== k) {
        violate(`leader completeness: ${n.id} leads term ${core.term} without committed entry ${index} (${k})`);
        return;
      }
    }
  };

  const drive = (n: SimNode) => {
    const r = n.replica;
    if (!r) return;
    while (r.hasReady()) {
      const rd = r.ready();
      n.store.persist(rd, opts.bugs.lazyStorage);
      for (const m of rd.messages) send(m);
      checkReady(n, rd);
      r.advance(rd);
    }
    checkLeader(n);
  };

  const checkLogMatching = () => {
    const live = [...nodes.values()].flatMap((n) => (n.replica ? [n.replica.core.log] : []));
    for (let a = 0; a < live.length; a++) {
      for (let b = a + 1; b < live.length; b++) {
        const la = live[a];
        const lb = live[b];
        if (!la || !lb) continue;
        const lo = Math.max(la.snapshotIndex(), lb.snapshotIndex()) + 1;
        let agreed = false;
        for (let i = Math.min(la.lastIndex(), lb.lastIndex()); i >= lo; i--) {
          const ea = la.entry(i);
          const eb = lb.entry(i);
          if (!ea || !eb) continue;
          if (ea.term === eb.term) agreed = true;
          if (agreed && entryKey(ea) !== entryKey(eb)) {
            violate(`log matching: logs agree on a later term but differ at ${i}: ${entryKey(ea)} vs ${entryKey(eb)}`);
            return;
          }
        }
      }
    }
  };

  // ---- clients ----

  const randomOp = (): KvOp => {
    const key = rng.pick(['a', 'b', 'c']);
    const v = ++clientSeq;
    switch (rng.int(0, 4)) {
      case 0:
      case 1:
        return { f: 'read', key };
      case 2:
        return { f: 'write', key, value: v };
      case 3:
        return { f: 'cas', key, from: rng.int(0, v), to: v };
      default:
        return { f: 'txn', ops: [{ f: 'append', key: `l${key}`, value: v }, { f: 'r', key: `l${key}` }] };
    }
  };

  const issue = (target: NodeId, op: KvOp, client: string, seq: number, hops: number) => {
    const n = nodes.get(target);
    if (!n?.replica) return;
    const readInvokedAt = ackedIndex;
    n.replica.request({ client, seq, op }, (reply: ClientReply) => {
      if (reply.type === 'redirect') {
        if (reply.leader !== null && hops < 2) {
          const to = reply.leader;
          q.push(now + 1, () => issue(to, op, client, seq, hops + 1));
        }
        return;
      }
      if (reply.type !== 'ok') return;
      if (op.f === 'read') {
        stats.reads++;
        if (reply.index < readInvokedAt) {
          violate(`stale read on ${target}: served at index ${reply.index}, a write at ${readInvokedAt} was acknowledged before it began`);
        }
      } else {
        stats.writes++;
        ackedIndex = Math.max(ackedIndex, reply.index);
      }
    });
    drive(n);
    const faultsOn = now <= opts.durationMs;
    if (faultsOn && opts.faults === 'elections' && n.replica?.core.role === 'leader' && op.f !== 'read' && rng.chance(opts.leaderFaultAfterWrite ?? 0.1)) {
      // Crash or cut off a leader right after it accepted a write, before the entry spreads.
      if (rng.chance(0.5)) q.push(now, () => crash(n, rng.int(20, 300)));
      else cut = new Set([n.id]);
    }
  };

  const clientLoop = () => {
    if (now > opts.durationMs) return;
    const target = rng.pick(ids);
    issue(target, randomOp(), `c${rng.int(1, 20)}`, ++clientSeq, 0);
    q.push(now + rng.int(...opts.clientGapMs), clientLoop);
  };

  // ---- faults ----

  const crash = (n: SimNode, downMs = rng.int(20, 600)) => {
    if (!n.replica) return;
    n.replica = null;
    n.store.crash();
    stats.crashes++;
    q.push(now + downMs, () => {
      if (!n.replica) boot(n);
    });
  };

  const electionNemesis = () => {
    if (now > opts.durationMs) return;
    const all = [...nodes.values()];
    const live = all.filter((n) => n.replica !== null);
    const leader = live.find((n) => n.replica?.core.role === 'leader');
    const candidate = live.find((n) => n.replica?.core.role === 'candidate');
    const voters = candidate
      ? live.filter((n) => n !== candidate && n.replica?.core.term === candidate.replica?.core.term && n.replica?.core.votedFor !== null)
      : [];
    const roll = rng.int(0, 9);
    if (voters.length > 0 && roll < 6) crash(rng.pick(voters), rng.int(5, 30));
    else if (leader && roll < 8) crash(leader, rng.int(20, 300));
    else if (roll === 8) cut = new Set(rng.shuffle(ids).slice(0, rng.int(1, Math.floor(ids.length / 2))));
    else cut = null;
    q.push(now + rng.int(...opts.faultGapMs), electionNemesis);
  };

  const leaseNemesis = () => {
    if (now > opts.durationMs) return;
    const leader = [...nodes.values()].find((n) => n.replica?.core.role === 'leader');
    if (cut === null && leader) {
      cut = new Set([leader.id]);
      const rate = opts.clock.minRate + rng.next() * (1 - opts.clock.minRate);
      leader.clock = { base: clockOf(leader) - rng.int(0, opts.clock.maxStepBackMs), since: now, rate };
    } else {
      cut = null;
    }
    q.push(now + rng.int(...opts.faultGapMs), leaseNemesis);
  };

  const nemesis = () => {
    if (now > opts.durationMs) return;
    const all = [...nodes.values()];
    const leader = all.find((n) => n.replica?.core.role === 'leader');
    switch (rng.int(0, 10)) {
      case 10:
        // A quick bounce, as a supervisor restarting a killed process does.
        crash(rng.pick(all), rng.int(5, 40));
        break;
      case 0:
      case 1: {
        const side = rng.shuffle(ids).slice(0, rng.int(1, Math.floor(ids.length / 2)));
        cut = new Set(side);
        break;
      }
      case 2:
        cut = null;
        break;
      case 3:
      case 4: {
        const victims = rng.shuffle(all).slice(0, rng.int(1, Math.ceil(ids.length / 2)));
        for (const v of victims) crash(v);
        break;
      }
      case 5:
        if (leader) crash(leader);
        break;
      case 6:
        if (leader) cut = new Set([leader.id]);
        break;
      case 7:
      case 8: {
        const n = leader && rng.chance(0.7) ? leader : rng.pick(all);
        const c = clockOf(n);
        const rate = opts.clock.minRate + rng.next() * (opts.clock.maxRate - opts.clock.minRate);
        const step = opts.clock.maxStepBackMs > 0 && rng.chance(0.5) ? -rng.int(0, opts.clock.maxStepBackMs) : 0;
        n.clock = { base: c + step, since: now, rate };
        break;
      }
      default:
        loss = rng.pick([0, 0.02, 0.1, 0.3]);
    }
    q.push(now + rng.int(...opts.faultGapMs), nemesis);
  };

  // ---- run ----

  for (const id of ids) {
    const n: SimNode = { id, store: new SimStore(rng), replica: null, clock: { base: 1e6, since: 0, rate: 1 }, incarnation: 0, wasLeaderInTerm: -1 };
    nodes.set(id, n);
    boot(n);
  }
  q.push(200, clientLoop);
  q.push(300, { mixed: nemesis, elections: electionNemesis, leases: leaseNemesis }[opts.faults]);
  q.push(0, function flusher() {
    for (const n of nodes.values()) if (n.replica) n.store.flush();
    if (now < opts.durationMs) q.push(now + 200, flusher);
  });

  let steps = 0;
  const maxEvents = opts.maxEvents ?? 2_000_000;
  const runUntil = (end: number) => {
    for (let ev = q.pop(); ev; ev = q.pop()) {
      if (steps > maxEvents) {
        violate(`livelock: more than ${maxEvents} events`);
        break;
      }
      if (ev.at > end) {
        q.push(ev.at, ev.run);
        break;
      }
      now = ev.at;
      ev.run();
      if (++steps % 200 === 0) checkLogMatching();
    }
  };

  runUntil(opts.durationMs);

  // Heal everything and check that the cluster recovers: one leader, a new write commits everywhere.
  cut = null;
  loss = 0;
  for (const n of nodes.values()) {
    n.clock = { base: clockOf(n), since: now, rate: 1 };
    n.store.flush();
    if (!n.replica) boot(n);
  }
  runUntil(now + 3000);
  checkLogMatching();
  const leader = [...nodes.values()].find((n) => n.replica?.core.role === 'leader');
  if (!leader?.replica) {
    violate('liveness: no leader 3 s after healing');
  } else {
    let done: ClientReply | null = null;
    leader.replica.request({ client: 'final', seq: 1, op: { f: 'write', key: 'final', value: 1 } }, (r) => (done = r));
    drive(leader);
    runUntil(now + 2000);
    const reply = done as ClientReply | null;
    if (reply === null || reply.type !== 'ok') {
      violate(`liveness: a write after healing did not commit (${JSON.stringify(reply)})`);
    } else {
      for (const n of nodes.values()) {
        if ((n.replica?.applied ?? 0) < reply.index) {
          const c = n.replica?.core;
          const where = c ? `${c.role} term ${c.term} lead ${c.lead} commit ${c.commitIndex} log ${c.log.snapshotIndex()}..${c.log.lastIndex()}` : 'down';
          violate(`liveness: ${n.id} did not apply index ${reply.index} after healing (${where}; leader ${leader.id} term ${leader.replica?.core.term})`);
        }
      }
    }
  }
  return { seed: opts.seed, violations, stats };
}
