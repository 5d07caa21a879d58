import { describe, expect, it } from 'vitest';
import type { ClusterLayout, TargetRunOptions } from '../../harness/target.js';
import { nodeLaunch, OPTIONS, quorumOf, redisConf, sentinelConf } from './config.js';

const cluster: ClusterLayout = { nodes: [1, 2, 3, 4, 5].map((i) => ({ name: `n${i}`, host: `10.0.0.${i}` })) };
const defaults: TargetRunOptions = { bugs: [], options: Object.fromEntries(OPTIONS.map((o) => [o.name, o.default])) };
const lines = (text: string) => text.trim().split('\n');

describe('redis-sentinel configuration', () => {
  it('binds each server to its node, in the foreground, logging to stdout, keeping its files in the data dir', () => {
    const conf = lines(redisConf(cluster.nodes[1]!, cluster, defaults, '/run/n2/data'));
    expect(conf).toEqual(
      expect.arrayContaining([
        'bind 10.0.0.2',
        'port 6379',
        'protected-mode no',
        'daemonize no',
        'logfile ""',
        'dir /run/n2/data',
        'replica-announce-ip 10.0.0.2',
        'appendonly no',
        'appendfsync everysec',
        'min-replicas-to-write 0',
        'min-replicas-max-lag 10',
      ]),
    );
  });

  it('starts n1 as the master and every other node as its replica', () => {
    expect(redisConf(cluster.nodes[0]!, cluster, defaults, '/d')).not.toMatch(/replicaof/);
    for (const n of cluster.nodes.slice(1)) expect(lines(redisConf(n, cluster, defaults, '/d'))).toContain('replicaof 10.0.0.1 6379');
  });

  it('gives every Sentinel the master with a majority quorum, the tutorial timings, and its own announce address', () => {
    const conf = lines(sentinelConf(cluster.nodes[2]!, cluster, defaults, '/d'));
    expect(conf).toEqual(
      expect.arrayContaining([
        'bind 10.0.0.3',
        'port 26379',
        'sentinel announce-ip 10.0.0.3',
        'sentinel monitor harness 10.0.0.1 6379 3',
        'sentinel down-after-milliseconds harness 5000',
        'sentinel failover-timeout harness 60000',
      ]),
    );
    expect([1, 3, 5, 7].map(quorumOf)).toEqual([1, 2, 3, 4]);
  });

  it('passes the options users tune into the files', () => {
    const run: TargetRunOptions = {
      bugs: [],
      options: { ...defaults.options, 'min-replicas-to-write': '1', 'min-replicas-max-lag': '5', appendonly: 'yes', appendfsync: 'always', 'down-after-milliseconds': '2000', 'failover-timeout': '9000' },
    };
    const r = lines(redisConf(cluster.nodes[0]!, cluster, run, '/d'));
    expect(r).toEqual(expect.arrayContaining(['min-replicas-to-write 1', 'min-replicas-max-lag 5', 'appendonly yes', 'appendfsync always']));
    const s = lines(sentinelConf(cluster.nodes[0]!, cluster, run, '/d'));
    expect(s).toEqual(expect.arrayContaining(['sentinel down-after-milliseconds harness 2000', 'sentinel failover-timeout harness 9000']));
  });

  it('launches redis-server and redis-sentinel on the files in the data dir', () => {
    const launch = nodeLaunch(cluster.nodes[0]!, cluster, defaults, '/run/n1/data');
    expect(launch.processes).toEqual([
      { name: 'redis', argv: ['redis-server', '/run/n1/data/redis.conf'] },
      { name: 'sentinel', argv: ['redis-sentinel', '/run/n1/data/sentinel.conf'] },
    ]);
    expect(Object.keys(launch.files)).toEqual(['redis.conf', 'sentinel.conf']);
  });
});
