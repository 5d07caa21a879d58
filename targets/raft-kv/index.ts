/** raft-kv as a harness target. */
import type { TargetDefinition } from '../../harness/target.js';
import { nodeCommand } from '../common/node-command.js';
import { appendWorkload } from '../../harness/workloads/append.js';
import { registerWorkload } from '../../harness/workloads/register.js';
import { setWorkload } from '../../harness/workloads/set.js';
import { BUGS } from './bugs.js';
import { findLeader, probeWrite, RaftKvClient } from './client.js';
import { READ_MODES } from './replica.js';

export const CLIENT_PORT = 8101;
export const PEER_PORT = 8102;
/**
 * The clock fault that exposes a lease at a test's time scales: the leader's
 * clock set back by seconds (rewind-primary), so its lease outlives the
 * failover. A leader clock slowed within the lease's drift margin is what a
 * correct lease must survive; slowed beyond it, it breaks correct leases too;
 * either way, with leases of a few hundred ms, a slowed leader's stale window
 * closes within a second, mostly while its clients wait on writes that cannot
 * commit. `clock:slow-primary` still asks for it by name.
 */
export const LEASE_CLOCK_FAULTS = ['rewind-primary'] as const;

/** The compiled node entry point, relative to the project root (where every node process runs). */
export const NODE_SCRIPT = 'dist/targets/raft-kv/node.js';

export const raftKv: TargetDefinition = {
  name: 'raft-kv',
  description: 'In-repo Raft key-value store (pre-vote, snapshots, log / read-index / lease reads) with planted bugs.',
  defaultNodes: 5,
  // Every read mode claims linearizable reads, so a set read that misses an acknowledged add is an anomaly.
  workloads: { register: registerWorkload, set: () => setWorkload({ linearizable: true }), append: appendWorkload },
  defaultWorkload: 'register',
  options: [
    {
      name: 'read-mode',
      description: 'log: reads go through the log; read-index: heartbeat round before serving; lease: leader lease on its own clock',
      choices: READ_MODES,
      default: 'log',
    },
  ],
  bugs: BUGS,
  clientPort: CLIENT_PORT,
  launch(node, cluster, run, dataDir) {
    const readMode = run.options['read-mode'] ?? 'log';
    const argv = [
      ...nodeCommand(NODE_SCRIPT, node, cluster, { clientPort: CLIENT_PORT, peerPort: PEER_PORT }, dataDir),
      '--read-mode', readMode,
      ...run.bugs.flatMap((b) => ['--bug', b]),
    ];
    return { processes: [{ name: 'raft-kv', argv }] };
  },
  async client(node, cluster, _run, opts) {
    return new RaftKvClient(node, cluster, { timeoutMs: opts.timeoutMs, clientPort: CLIENT_PORT });
  },
  ready(cluster, _run, opts) {
    return probeWrite(cluster, CLIENT_PORT, opts.timeoutMs);
  },
  async primaries(cluster, _run, opts) {
    const leader = await findLeader(cluster, CLIENT_PORT, opts.timeoutMs);
    return leader === undefined ? [] : [leader];
  },
  clockFaults(run) {
    // Only lease reads trust a clock, and only the leader's: aim there. Other
    // read modes use clocks only in the peers' offset guard; any fault will do.
    return run.options['read-mode'] === 'lease' ? LEASE_CLOCK_FAULTS : undefined;
  },
};
