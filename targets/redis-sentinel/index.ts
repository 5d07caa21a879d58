/** Redis with Sentinel as a harness target: Debian's redis-server and redis-sentinel, one of each per node. */
import type { TargetDefinition } from '../../harness/target.js';
import { appendWorkload } from '../../harness/workloads/append.js';
import { registerWorkload } from '../../harness/workloads/register.js';
import { setWorkload } from '../../harness/workloads/set.js';
import { SentinelClient } from './client.js';
import { nodeLaunch, OPTIONS, REDIS_PORT } from './config.js';
import { clusterServes, namedMasters } from './probe.js';

const INSTALL = 'apt-get install -y redis-server redis-sentinel (or run scripts/install.sh)';

export const redisSentinel: TargetDefinition = {
  name: 'redis-sentinel',
  description: 'Redis with Sentinel (Debian packages): one master, asynchronous replicas, a Sentinel on every node with a majority quorum.',
  defaultNodes: 5,
  workloads: {
    // Redis with Sentinel claims no more than eventual consistency ("last
    // failover wins"): a read from a master that a failover has replaced
    // misses acknowledged adds, and that is not what the set checks. It
    // checks what an acknowledged write promises: that the add survives,
    // i.e. is in the final read on the master Sentinel names after the
    // heal. Stale reads are the register workload's business (linearizability).
    set: () => setWorkload({ linearizable: false }),
    register: registerWorkload,
    append: appendWorkload,
  },
  defaultWorkload: 'set',
  options: OPTIONS,
  bugs: [],
  requires: [
    { program: 'redis-server', install: INSTALL, package: 'redis-server' },
    { program: 'redis-sentinel', install: INSTALL, package: 'redis-sentinel' },
  ],
  clientPort: REDIS_PORT,
  launch: nodeLaunch,
  async client(node, cluster, _run, opts) {
    return SentinelClient.of(node, cluster, opts.timeoutMs);
  },
  ready(cluster, _run, opts) {
    return clusterServes(cluster, opts.timeoutMs);
  },
  primaries(cluster, _run, opts) {
    return namedMasters(cluster, opts.timeoutMs);
  },
};
