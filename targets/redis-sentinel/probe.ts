/**
 * What the Sentinels and the Redis servers say right now, over short-lived
 * plain connections (no Sentinel logic, no retries): which master each
 * Sentinel names and how many other Sentinels it knows, and each server's
 * role. The readiness probe and the primaries are decided from these views
 * by pure functions (tested on their own).
 */
import { Redis } from 'ioredis';
import type { ClusterLayout } from '../../harness/target.js';
import { MASTER_NAME, quorumOf, REDIS_PORT, SENTINEL_PORT } from './config.js';

export interface SentinelView {
  /** The node whose Sentinel answered. */
  node: string;
  /** The master it names: a node name, or the address when it is none of the cluster's. */
  master: string;
  /** Other Sentinels it knows of (it needs a quorum of them to fail over). */
  otherSentinels: number;
  /** Replicas of the master it knows of (a failover reconfigures only those). */
  replicas: number;
}

/** A server's role as ROLE reports it. */
export type Role = 'master' | 'slave' | 'sentinel';

/** Run `fn` on a fresh connection to host:port; undefined when it cannot connect, errs or times out. */
async function once<T>(host: string, port: number, timeoutMs: number, fn: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis({
    host,
    port,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    protocol: 2,
  });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return await fn(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** A flat [field, value, ...] reply as a record. */
export function fields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}

/** Each answering Sentinel's view of the master. */
export async function sentinelViews(cluster: ClusterLayout, timeoutMs: number): Promise<SentinelView[]> {
  const nameOf = new Map(cluster.nodes.map((n) => [n.host, n.name]));
  const views = await Promise.all(
    cluster.nodes.map((n) =>
      once(n.host, SENTINEL_PORT, timeoutMs, async (r): Promise<SentinelView> => {
        const m = fields(await r.call('SENTINEL', 'MASTER', MASTER_NAME));
        const addr = m['ip'] ?? '?';
        return {
          node: n.name,
          master: nameOf.get(addr) ?? `${addr}:${m['port'] ?? '?'}`,
          otherSentinels: Number(m['num-other-sentinels'] ?? 0),
          replicas: Number(m['num-slaves'] ?? 0),
        };
      }),
    ),
  );
  return views.filter((v): v is SentinelView => v !== undefined);
}

/** Each answering server's role, by node. */
export async function roles(cluster: ClusterLayout, timeoutMs: number): Promise<Map<string, Role>> {
  const answers = await Promise.all(
    cluster.nodes.map(async (n) => [n.name, await once(n.host, REDIS_PORT, timeoutMs, async (r) => ((await r.call('ROLE')) as unknown[])[0] as Role)] as const),
  );
  return new Map(answers.filter((a): a is readonly [string, Role] => a[1] !== undefined));
}

/** Write one key on `node`'s server; whether it answered OK (it refuses when it is a replica, or lacks min-replicas). */
export async function acceptsWrite(host: string, timeoutMs: number): Promise<boolean> {
  return (await once(host, REDIS_PORT, timeoutMs, (r) => r.set('harness:ready', String(Date.now())))) === 'OK';
}

/**
 * The master a quorum of Sentinels agree on, when they do: a majority of
 * the nodes' Sentinels name it, and each of them knows every other Sentinel
 * and every replica. Sentinel learns replicas from the master's INFO every
 * 10 s; a failover before that promotes one replica and leaves the others
 * following the old master, a state no long-running deployment is in, so
 * faults wait until Sentinel knows them all. A Sentinel in the minority may
 * still name an older master (one that led an overlapping failover keeps its
 * own outcome for a while); the quorum's master is the one that serves.
 */
export function agreedMaster(views: readonly SentinelView[], nodes: number): string | undefined {
  const knowing = views.filter((v) => v.otherSentinels >= nodes - 1 && v.replicas >= nodes - 1);
  return rankPrimaries(knowing).find((m) => knowing.filter((v) => v.master === m).length >= quorumOf(nodes));
}

/** The masters the Sentinels name, the one most of them name first. */
export function rankPrimaries(views: readonly SentinelView[]): string[] {
  const votes = new Map<string, number>();
  for (const v of views) votes.set(v.master, (votes.get(v.master) ?? 0) + 1);
  return [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m]) => m);
}

/** Exactly one server says it is a master, and it is `master` (a demoted master that has not been told yet would serve stale data). */
export function soleMaster(roleOf: ReadonlyMap<string, Role>, master: string): boolean {
  return roleOf.get(master) === 'master' && [...roleOf].every(([node, role]) => node === master || role !== 'master');
}

/**
 * The readiness probe: a quorum of Sentinels agree on a master, it is the
 * only server acting as one, and it accepts a write. After the final heal this
 * also waits until a master from before a failover has been demoted, so
 * the final reads see the data that survives ("last failover wins").
 */
export async function clusterServes(cluster: ClusterLayout, timeoutMs: number): Promise<boolean> {
  const master = agreedMaster(await sentinelViews(cluster, timeoutMs), cluster.nodes.length);
  const host = cluster.nodes.find((n) => n.name === master)?.host;
  if (master === undefined || host === undefined) return false;
  if (!soleMaster(await roles(cluster, timeoutMs), master)) return false;
  return acceptsWrite(host, timeoutMs);
}

/** The master as the Sentinels name it, best first (the primaries nemeses aim at). */
export async function namedMasters(cluster: ClusterLayout, timeoutMs: number): Promise<string[]> {
  const names = new Set(cluster.nodes.map((n) => n.name));
  return rankPrimaries(await sentinelViews(cluster, timeoutMs)).filter((m) => names.has(m));
}
