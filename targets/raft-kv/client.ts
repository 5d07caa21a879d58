/**
 * Client library for raft-kv. Each outcome is reported truthfully:
 * ok; fail when the op certainly had no effect (a cas that did not match,
 * a refused connection, only redirects before the deadline); info when it
 * may have been applied (timeout or connection lost after sending).
 */
import { randomUUID } from 'node:crypto';
import type { ClusterLayout, NodeAddress, Outcome, TargetClient } from '../../harness/target.js';
import { completionValue, parseOp } from './kv/ops.js';
import { Connection } from '../common/connection.js';
import type { ClientRequestBody, NodeStatus, ServerFrame } from './shell/protocol.js';

/** A connection to a node's client port. */
type NodeConnection = Connection<ClientRequestBody, ServerFrame>;

export interface RaftKvClientOptions {
  timeoutMs: number;
  clientPort: number;
}

export class RaftKvClient implements TargetClient {
  private readonly clientId = randomUUID();
  private seq = 0;
  private readonly conns = new Map<string, NodeConnection>();
  private readonly byName: Map<string, NodeAddress>;

  constructor(
    private readonly home: NodeAddress,
    cluster: ClusterLayout,
    private readonly opts: RaftKvClientOptions,
  ) {
    this.byName = new Map(cluster.nodes.map((n) => [n.name, n]));
  }

  async invoke(f: string, value: unknown): Promise<Outcome> {
    let op;
    try {
      op = parseOp(f, value);
    } catch (err) {
      return { type: 'fail', error: (err as Error).message };
    }
    const seq = ++this.seq;
    const deadline = Date.now() + this.opts.timeoutMs;
    let target = this.home;
    let hops = 0;
    let lastError = 'no leader';
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { type: 'fail', error: `gave up before any node accepted it: ${lastError}` };
      let conn: NodeConnection;
      try {
        conn = await this.connection(target, left);
      } catch (err) {
        // Nothing was sent on this attempt, and every earlier attempt was refused outright.
        lastError = `${target.name}: ${(err as Error).message}`;
        if (target === this.home) return { type: 'fail', error: lastError };
        target = this.home;
        continue;
      }
      const ex = await conn.request({ kind: 'op', client: this.clientId, seq, f, value }, Math.max(1, deadline - Date.now()));
      if (ex.kind === 'unsent') {
        this.conns.delete(target.name);
        lastError = ex.error;
        continue;
      }
      if (ex.kind === 'lost') {
        if (!conn.usable) this.conns.delete(target.name);
        return { type: 'info', error: `${target.name}: ${ex.error}` };
      }
      const r = ex.frame;
      switch (r.type) {
        case 'ok':
          return { type: 'ok', value: completionValue(op, r.value, value) };
        case 'fail':
          return { type: 'fail', error: r.error };
        case 'unknown':
          return { type: 'info', error: r.error };
        case 'redirect': {
          const leader = r.leader === null ? undefined : this.byName.get(r.leader);
          lastError = `${target.name} is not the leader`;
          if (leader && leader !== target && hops < 5) {
            hops++;
            target = leader;
          } else {
            await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
            target = this.home;
            hops = 0;
          }
          continue;
        }
        case 'status':
          return { type: 'info', error: 'unexpected status reply' };
      }
    }
  }

  async close(): Promise<void> {
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }

  private async connection(node: NodeAddress, timeoutMs: number): Promise<NodeConnection> {
    const existing = this.conns.get(node.name);
    if (existing?.usable) return existing;
    const conn = await Connection.open<ClientRequestBody, ServerFrame>(node.host, this.opts.clientPort, timeoutMs);
    this.conns.set(node.name, conn);
    return conn;
  }
}

/** Ask one node for its view of the cluster. */
export async function nodeStatus(node: NodeAddress, clientPort: number, timeoutMs: number): Promise<NodeStatus | undefined> {
  let conn: NodeConnection | undefined;
  try {
    conn = await Connection.open<ClientRequestBody, ServerFrame>(node.host, clientPort, timeoutMs);
    const ex = await conn.request({ kind: 'status' }, timeoutMs);
    return ex.kind === 'reply' && ex.frame.type === 'status' ? ex.frame.status : undefined;
  } catch {
    return undefined;
  } finally {
    conn?.close();
  }
}

/** The node that claims leadership in the highest term, if any answers. */
export async function findLeader(cluster: ClusterLayout, clientPort: number, timeoutMs: number): Promise<string | undefined> {
  const all = await Promise.all(cluster.nodes.map((n) => nodeStatus(n, clientPort, timeoutMs)));
  const leaders = all.filter((s): s is NodeStatus => s?.role === 'leader').sort((a, b) => b.term - a.term);
  return leaders[0]?.node;
}

/** The key the readiness probe writes: a string, so it never meets a workload's integer keys. */
export const READY_KEY = '__harness-ready__';

/**
 * Whether the cluster serves: a write through some node commits within the
 * timeout (a leader exists and a majority follows it). Tries each node in
 * turn until one answers ok; never throws.
 */
export async function probeWrite(cluster: ClusterLayout, clientPort: number, timeoutMs: number): Promise<boolean> {
  for (const node of cluster.nodes) {
    const client = new RaftKvClient(node, cluster, { timeoutMs, clientPort });
    try {
      if ((await client.invoke('write', [READY_KEY, Date.now()])).type === 'ok') return true;
    } finally {
      await client.close();
    }
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
