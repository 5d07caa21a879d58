/**
 * The client, on ioredis' Sentinel support, used as an application uses
 * it: it asks the Sentinels which node is the master of `harness`,
 * connects there (ioredis checks the node reports role master), and
 * follows failovers (it subscribes to +switch-master on the Sentinels and
 * reconnects, asking again; a READONLY reply makes it ask again too).
 *
 * The client of node nX lists nX's Sentinel first, then the others: an
 * application server next to nX, which asks its local Sentinel first. Under
 * a partition the controller still reaches every node, so clients of the
 * isolated side keep writing to the master their side's Sentinel names,
 * as the application servers of that side would.
 *
 * Outcomes are truthful (outcome.ts): the offline queue and every retry of
 * a sent command are switched off, so a command is written once, now, or
 * not at all. Each outcome names the node that served it (the master).
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { ClusterLayout, NodeAddress, Outcome, TargetClient } from '../../harness/target.js';
import { MASTER_NAME, SENTINEL_PORT } from './config.js';
import { operation } from './ops.js';
import { errorText, isDemoted, outcomeOfError } from './outcome.js';

/** Pause between reconnection attempts: a failover is followed within about this much of Sentinel announcing it. */
const RECONNECT_DELAY_MS = 100;

/** The Sentinels as the client of `home` lists them: its own first, then the others in cluster order. */
export function sentinelsFor(home: NodeAddress, cluster: ClusterLayout): { host: string; port: number }[] {
  const others = cluster.nodes.filter((n) => n.name !== home.name);
  return [home, ...others].map((n) => ({ host: n.host, port: SENTINEL_PORT }));
}

/** ioredis options for a client of the master Sentinel names, with every way a command could be sent twice or late turned off. */
export function sentinelClientOptions(sentinels: { host: string; port: number }[], timeoutMs: number): RedisOptions {
  return {
    sentinels,
    name: MASTER_NAME,
    role: 'master',
    lazyConnect: true,
    // Never hold a command while disconnected to write it later, perhaps to
    // another master: it is written now, on a ready connection, or not at all.
    enableOfflineQueue: false,
    // A command in flight when the connection drops is rejected at once
    // (recorded info), never resent on the next connection.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // READONLY is handled by the client (a reconnection, never a resend).
    reconnectOnError: null,
    // Reconnect, asking the Sentinels again, after a short pause: that is
    // how an application follows a failover. These retry connections, not commands.
    retryStrategy: () => RECONNECT_DELAY_MS,
    sentinelRetryStrategy: () => RECONNECT_DELAY_MS,
    failoverDetector: true,
    sentinelReconnectStrategy: () => 1000,
    // Keep the list as given (own node first); the Sentinels report the same nodes.
    updateSentinels: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    sentinelCommandTimeout: timeoutMs,
  };
}

export class SentinelClient implements TargetClient {
  private readonly redis: Redis;
  private lastError = 'not connected yet';

  /** The client of `home` in `cluster`. */
  static of(home: NodeAddress, cluster: ClusterLayout, timeoutMs: number): SentinelClient {
    return new SentinelClient(sentinelsFor(home, cluster), new Map(cluster.nodes.map((n) => [n.host, n.name])), timeoutMs);
  }

  /** `nodeByHost`: node names by address, to name the master an outcome came from. */
  constructor(
    sentinels: { host: string; port: number }[],
    private readonly nodeByHost: ReadonlyMap<string, string>,
    private readonly timeoutMs: number,
  ) {
    this.redis = new Redis(sentinelClientOptions(sentinels, timeoutMs));
    this.redis.on('error', (e: unknown) => {
      this.lastError = errorText(e);
    });
  }

  async invoke(f: string, value: unknown): Promise<Outcome> {
    const perform = operation(f, value);
    if (typeof perform === 'string') throw new Error(perform);
    if (!(await this.connected())) return { type: 'fail', error: `not sent: no master reachable through Sentinel (${this.lastError})` };
    const node = this.masterNode();
    try {
      return { ...(await perform(this.redis)), node };
    } catch (e) {
      // No longer a master (a demoted one answers READONLY): ask the Sentinels again.
      if (isDemoted(e)) this.redis.disconnect(true);
      return { ...outcomeOfError(e), node };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** Whether the connection to a master is ready, connecting (and waiting two timeouts) when it is not. */
  private async connected(): Promise<boolean> {
    const r = this.redis;
    if (r.status === 'ready') return true;
    if (r.status === 'wait' || r.status === 'end') r.connect().catch(() => undefined);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        r.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      // Finding the master may take a Sentinel that does not answer (connect timeout), then the next.
      const timer = setTimeout(() => done(r.status === 'ready'), 2 * this.timeoutMs);
      r.on('ready', onReady);
    });
  }

  /** The node the connection is to (the master Sentinel named), by name when it is one of the cluster's. */
  private masterNode(): string | undefined {
    const host = this.redis.stream?.remoteAddress;
    return host === undefined ? undefined : (this.nodeByHost.get(host) ?? host);
  }
}
