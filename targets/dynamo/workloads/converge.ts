/**
 * The final look at every replica (checkers/convergence.ts): each node's own
 * copy of the keys, without a quorum, asked again every 100 ms until the N
 * homes of every key hold the same siblings or the operation's time is up.
 * `ok` with the copies once they agree; `fail` with the last copies seen
 * (the run's final phase tries again, on the next node, until its deadline).
 */
import type { Outcome } from '../../../harness/target.js';
import type { WorkloadOp } from '../../../harness/workloads/types.js';
import type { DynamoClient } from '../client.js';
import type { LocalState } from '../core/types.js';

const POLL_MS = 100;
/** Time kept back from the operation's timeout to answer in. */
const MARGIN_MS = 300;

export function convergeOp(keys: readonly unknown[]): WorkloadOp {
  return { f: 'converge', value: { keys } };
}

interface Copies {
  key: unknown;
  replicas: Record<string, unknown[]>;
}

/** Each key's copies on the nodes that are its homes; whether the homes (all N of them) agree. */
function compare(keys: readonly unknown[], answers: (readonly [string, LocalState[] | undefined])[], n: number): { copies: Copies[]; differ: number } {
  let differ = 0;
  const copies = keys.map((key, i) => {
    const replicas: Record<string, unknown[]> = {};
    const dots = new Set<string>();
    let homes = 0;
    for (const [node, states] of answers) {
      const s = states?.[i];
      if (!s?.replica) continue;
      homes++;
      replicas[node] = s.values;
      dots.add(s.dots);
    }
    if (dots.size > 1 || homes < n) differ++;
    return { key, replicas };
  });
  return { copies, differ };
}

export async function lookUntilConverged(client: DynamoClient, keys: readonly unknown[], n: number, timeoutMs: number): Promise<Outcome> {
  const deadline = Date.now() + Math.max(POLL_MS, timeoutMs - MARGIN_MS);
  for (;;) {
    const answers = await Promise.all(client.cluster.nodes.map(async (node) => [node.name, await client.local(node, [...keys])] as const));
    const silent = answers.filter(([, s]) => s === undefined).map(([node]) => node);
    const { copies, differ } = compare(keys, answers, n);
    if (differ === 0) return { type: 'ok', value: { agreed: true, keys: copies } };
    if (Date.now() + POLL_MS > deadline) {
      const why = `${differ} of ${keys.length} keys still differ between replicas${silent.length ? `; no answer from ${silent.join(', ')}` : ''}`;
      return { type: 'fail', value: { agreed: false, keys: copies }, error: why };
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
