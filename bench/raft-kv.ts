/**
 * Throughput of a 5-node raft-kv cluster on loopback with read-mode=log:
 *   npm run build && node dist/bench/raft-kv.js [--seconds 5] [--concurrency 200] [--read-mode log]
 * Half the ops are writes, half reads, over 20 keys; prints ok ops/s and latency percentiles.
 */
import { parseArgs } from 'node:util';
import { raftKv } from '../targets/raft-kv/index.js';
import { localCluster, waitForLeader } from '../targets/raft-kv/local-cluster.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    'read-mode': { type: 'string', default: 'log' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const cluster = localCluster(['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24', '127.0.0.25'], { readMode: values['read-mode'] });
try {
  const leader = await waitForLeader(cluster.layout, 10_000);
  const nodes = cluster.layout.nodes;
  const clients = await Promise.all(
    Array.from({ length: concurrency }, (_, i) => raftKv.client(nodes[i % nodes.length]!, cluster.layout, { bugs: [], options: {} }, { timeoutMs: 2000 })),
  );
  // Warm up connections (and redirects to the leader) before measuring.
  await Promise.all(clients.map((c, i) => c.invoke('write', [`k${i % 20}`, 0])));
  const latencies: number[] = [];
  const counts = { ok: 0, fail: 0, info: 0 };
  const end = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    clients.map(async (c, i) => {
      let n = 0;
      while (Date.now() < end) {
        const t0 = performance.now();
        const r = n++ % 2 === 0 ? await c.invoke('write', [`k${(i + n) % 20}`, n]) : await c.invoke('read', [`k${(i + n) % 20}`, null]);
        counts[r.type]++;
        if (r.type === 'ok') latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN).toFixed(1);
  console.log(
    JSON.stringify({
      nodes: nodes.length,
      leader,
      readMode: values['read-mode'],
      concurrency,
      seconds: Number(elapsed.toFixed(2)),
      ...counts,
      opsPerSec: Math.round(counts.ok / elapsed),
      latencyMs: { p50: pct(0.5), p99: pct(0.99), max: pct(1) },
    }),
  );
  await Promise.all(clients.map((c) => c.close()));
} finally {
  await cluster.stopAll();
}
