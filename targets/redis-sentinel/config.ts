/**
 * The target's options and the two configuration files of a node
 * (redis.conf, sentinel.conf), as pure functions of the node, the cluster
 * and the options. Both files live in the node's data directory: Redis and
 * Sentinel rewrite them (Sentinel records epochs, masters and peers it
 * learnt; a Sentinel-driven failover rewrites a demoted master's
 * `replicaof`), and a node restarted after a kill starts from what they wrote.
 */
import { join } from 'node:path';
import type { ClusterLayout, NodeAddress, TargetOptionSpec, TargetRunOptions } from '../../harness/target.js';

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
/** The name Sentinel knows the monitored master by (`sentinel monitor <name> ...`). */
export const MASTER_NAME = 'harness';
export const REDIS_CONF = 'redis.conf';
export const SENTINEL_CONF = 'sentinel.conf';

/**
 * Sentinel timings at test scale. Redis' own defaults (down-after 30 s,
 * failover-timeout 180 s) would leave a 30-60 s test with at most one
 * failover; these are the values of the quick tutorial in Redis' Sentinel
 * documentation (down-after 5000 ms, failover-timeout 60000 ms).
 */
export const OPTIONS: readonly TargetOptionSpec[] = [
  {
    name: 'min-replicas-to-write',
    description: 'the master refuses writes (NOREPLICAS) unless this many replicas acknowledged within --min-replicas-max-lag seconds (Redis default 0: off)',
    min: 0,
    default: '0',
  },
  {
    name: 'min-replicas-max-lag',
    description: 'seconds within which a replica must have acknowledged to count for --min-replicas-to-write (Redis default 10)',
    min: 1,
    default: '10',
  },
  {
    name: 'down-after-milliseconds',
    description: 'Sentinel deems an unresponsive master down after this long (Redis default 30000; the Sentinel tutorial\'s 5000 here)',
    min: 100,
    default: '5000',
  },
  {
    name: 'failover-timeout',
    description: 'Sentinel failover timeout in ms; a failed failover of a master is retried after twice this (Redis default 180000; the tutorial\'s 60000 here)',
    min: 1000,
    default: '60000',
  },
  { name: 'appendonly', description: 'the append-only file (Redis default no)', choices: ['no', 'yes'], default: 'no' },
  { name: 'appendfsync', description: 'when the append-only file is fsynced (Redis default everysec)', choices: ['everysec', 'always', 'no'], default: 'everysec' },
];

/** The value of an option for this run, falling back to its declared default. */
export function optionValue(run: TargetRunOptions, name: string): string {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec) throw new Error(`redis-sentinel has no option ${name}`);
  return run.options[name] ?? spec.default;
}

/** Sentinels that must agree a master is down before a failover: a majority of the nodes (3 of 5). */
export function quorumOf(nodes: number): number {
  return Math.floor(nodes / 2) + 1;
}

/** The node that starts as the master: the first one. */
export function initialMaster(cluster: ClusterLayout): NodeAddress {
  const first = cluster.nodes[0];
  if (!first) throw new Error('a redis-sentinel cluster needs at least one node');
  return first;
}

/**
 * redis.conf: bound to the node's address, in the foreground, logging to
 * stdout (the provisioner's node log), persistence under the data
 * directory, and the address a replica announces set to the node's own,
 * so the master and Sentinel see the address clients and peers reach.
 */
export function redisConf(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, dataDir: string): string {
  const master = initialMaster(cluster);
  const lines = [
    `bind ${node.host}`,
    `port ${REDIS_PORT}`,
    'protected-mode no',
    'daemonize no',
    'logfile ""',
    `dir ${dataDir}`,
    `appendonly ${optionValue(run, 'appendonly')}`,
    `appendfsync ${optionValue(run, 'appendfsync')}`,
    `replica-announce-ip ${node.host}`,
    `replica-announce-port ${REDIS_PORT}`,
    `min-replicas-to-write ${optionValue(run, 'min-replicas-to-write')}`,
    `min-replicas-max-lag ${optionValue(run, 'min-replicas-max-lag')}`,
  ];
  if (node.name !== master.name) lines.push(`replicaof ${master.host} ${REDIS_PORT}`);
  return lines.join('\n') + '\n';
}

/**
 * sentinel.conf: every node's Sentinel monitors the initial master with
 * a majority quorum, and announces the node's own address, so that
 * Sentinels find each other (through the master's hello channel) at the
 * addresses they can reach.
 */
export function sentinelConf(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, dataDir: string): string {
  const master = initialMaster(cluster);
  return (
    [
      `bind ${node.host}`,
      `port ${SENTINEL_PORT}`,
      'protected-mode no',
      'daemonize no',
      'logfile ""',
      `dir ${dataDir}`,
      'sentinel resolve-hostnames no',
      `sentinel announce-ip ${node.host}`,
      `sentinel announce-port ${SENTINEL_PORT}`,
      `sentinel monitor ${MASTER_NAME} ${master.host} ${REDIS_PORT} ${quorumOf(cluster.nodes.length)}`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${optionValue(run, 'down-after-milliseconds')}`,
      `sentinel failover-timeout ${MASTER_NAME} ${optionValue(run, 'failover-timeout')}`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ].join('\n') + '\n'
  );
}

/** The node's two processes and their configuration files. */
export function nodeLaunch(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, dataDir: string) {
  return {
    processes: [
      { name: 'redis', argv: ['redis-server', join(dataDir, REDIS_CONF)] },
      { name: 'sentinel', argv: ['redis-sentinel', join(dataDir, SENTINEL_CONF)] },
    ],
    files: {
      [REDIS_CONF]: redisConf(node, cluster, run, dataDir),
      [SENTINEL_CONF]: sentinelConf(node, cluster, run, dataDir),
    },
  };
}
