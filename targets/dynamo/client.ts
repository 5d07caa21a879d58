/**
 * The store's client. It talks to one node (its session is sticky: that
 * node coordinates all its requests) and keeps, per key, the context of
 * everything its session has seen: the clocks its reads returned and the
 * versions its writes made. Every write carries that context, so it
 * replaces exactly what the session saw, as a Dynamo or Riak client does.
 *
 * Outcomes are truthful: a read that got no answer failed (reads change
 * nothing); a write the coordinator refused up front failed; a write that
 * timed out, or got no answer, may have reached replicas: unknown.
 *
 * As a TargetClient it speaks the register operations: read [k, null] ->
 * ok [k, [siblings...]]; write [k, v] -> ok [k, v].
 */
import type { ClusterLayout, NodeAddress, Outcome, TargetClient } from '../../harness/target.js';
import { Connection, type Exchange } from '../common/connection.js';
import { keyIdOf } from './core/store.js';
import type { ClientReply, ClientRequest, LocalState, NodeStatus } from './core/types.js';
import type { ReplyFrame } from './shell/protocol.js';
import { EMPTY_CONTEXT, joinContexts, type Context } from './core/vclock.js';

export interface DynamoClientOptions {
  timeoutMs: number;
  clientPort: number;
}

export type ReadOutcome = { type: 'ok'; values: unknown[] } | { type: 'fail'; error: string };

export class DynamoClient implements TargetClient {
  private readonly conns = new Map<string, Connection<ClientRequest, ReplyFrame>>();
  private readonly contexts = new Map<string, Context>();

  constructor(
    private readonly home: NodeAddress,
    readonly cluster: ClusterLayout,
    private readonly opts: DynamoClientOptions,
  ) {}

  async invoke(f: string, value: unknown): Promise<Outcome> {
    if (!Array.isArray(value) || value.length !== 2) return { type: 'fail', error: `expected [key, value], got ${JSON.stringify(value)}` };
    const [key, v] = value as [unknown, unknown];
    if (f === 'read') {
      const r = await this.read(key);
      return r.type === 'ok' ? { type: 'ok', value: [key, r.values] } : r;
    }
    if (f === 'write') {
      const r = await this.write(key, v);
      return r.type === 'ok' ? { type: 'ok', value: [key, v] } : r;
    }
    return { type: 'fail', error: `unknown operation ${f}` };
  }

  /** All siblings of a key; the session's context of it grows by what the read saw. */
  async read(key: unknown): Promise<ReadOutcome> {
    const ex = await this.exchange(this.home, { kind: 'get', key });
    if (ex.kind !== 'reply') return { type: 'fail', error: `${this.home.name}: ${ex.error}` };
    const r = ex.frame;
    if (r.type === 'got') {
      this.contexts.set(keyIdOf(key), joinContexts(this.context(key), r.context));
      return { type: 'ok', values: r.values };
    }
    return { type: 'fail', error: r.type === 'fail' || r.type === 'unknown' ? r.error : `unexpected reply ${r.type}` };
  }

  /** Write a value over everything the session has seen of the key. */
  async write(key: unknown, value: unknown): Promise<Outcome> {
    const ex = await this.exchange(this.home, { kind: 'put', key, value, context: this.context(key) });
    if (ex.kind === 'unsent') return { type: 'fail', error: `${this.home.name}: ${ex.error}` };
    if (ex.kind === 'lost') return { type: 'info', error: `${this.home.name}: ${ex.error}` };
    const r = ex.frame;
    switch (r.type) {
      case 'put':
        this.contexts.set(keyIdOf(key), r.context);
        return { type: 'ok', value };
      case 'fail':
        return { type: 'fail', error: r.error };
      case 'unknown':
        return { type: 'info', error: r.error };
      default:
        return { type: 'info', error: `unexpected reply ${r.type}` };
    }
  }

  /** A node's own copies of the keys (no quorum), or undefined when it does not answer. */
  async local(node: NodeAddress, keys: unknown[]): Promise<LocalState[] | undefined> {
    const ex = await this.exchange(node, { kind: 'local', keys });
    return ex.kind === 'reply' && ex.frame.type === 'local' ? ex.frame.states : undefined;
  }

  async status(node: NodeAddress): Promise<NodeStatus | undefined> {
    const ex = await this.exchange(node, { kind: 'status' });
    return ex.kind === 'reply' && ex.frame.type === 'status' ? ex.frame.status : undefined;
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }

  private context(key: unknown): Context {
    return this.contexts.get(keyIdOf(key)) ?? EMPTY_CONTEXT;
  }

  private async exchange(node: NodeAddress, req: ClientRequest): Promise<Exchange<ClientReply>> {
    let conn = this.conns.get(node.name);
    if (!conn?.usable) {
      try {
        conn = await Connection.open<ClientRequest, ReplyFrame>(node.host, this.opts.clientPort, this.opts.timeoutMs);
      } catch (err) {
        return { kind: 'unsent', error: (err as Error).message };
      }
      this.conns.set(node.name, conn);
    }
    const ex = await conn.request(req, this.opts.timeoutMs);
    if (ex.kind !== 'reply') return ex;
    const { id: _id, ...reply } = ex.frame;
    return { kind: 'reply', frame: reply as ClientReply };
  }
}

/** The key the readiness probe writes: a string, so it never meets a workload's integer keys. */
export const READY_KEY = '__harness-ready__';

/**
 * Whether the cluster serves: every node's failure detector sees every
 * member up (so no coordinator still routes around a peer it has not heard
 * from since it started or since the heal), and through some node a read of
 * R replicas, then a write (over what it read, so probes do not pile up
 * siblings) acknowledged by W. Never throws.
 */
export async function probeReadWrite(cluster: ClusterLayout, clientPort: number, timeoutMs: number): Promise<boolean> {
  const views = await Promise.all(
    cluster.nodes.map(async (node) => {
      const client = new DynamoClient(node, cluster, { timeoutMs, clientPort });
      try {
        return await client.status(node);
      } finally {
        await client.close();
      }
    }),
  );
  if (!views.every((v) => v !== undefined && v.members.every((m) => m.up))) return false;
  for (const node of cluster.nodes) {
    const client = new DynamoClient(node, cluster, { timeoutMs, clientPort });
    try {
      if ((await client.read(READY_KEY)).type === 'ok' && (await client.write(READY_KEY, Date.now())).type === 'ok') return true;
    } finally {
      await client.close();
    }
  }
  return false;
}
