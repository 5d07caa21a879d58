/**
 * Redis with Sentinel end to end (real redis-server and redis-sentinel in
 * network namespaces): the lost-write scenario Jepsen found (the master
 * isolated, Sentinel fails over, the old master's acknowledged writes are
 * discarded when it rejoins), and no false alarm without faults or with a
 * partition that leaves the master with a majority. Needs root and the
 * Debian packages (scripts/install.sh); about two minutes.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandExists } from '../../harness/programs.js';
import { cli, harness, isRoot, latestRun, leftovers, newStore, readJson } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));
const haveRedis = commandExists('redis-server') && commandExists('redis-sentinel');

interface LostAdd {
  element: number;
  time: number;
  node?: string;
  faults: string[];
}

describe('redis-sentinel without Redis installed', () => {
  it('says what to install in one line, exit 2', () => {
    const r = spawnSync(process.execPath, [cli, 'test', '--target', 'redis-sentinel', '--store', store], { encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^harness: the redis-sentinel target needs redis-server and redis-sentinel, not found on the PATH: apt-get install -y redis-server redis-sentinel/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!isRoot || !haveRedis)('redis-sentinel on the local provisioner', () => {
  it('partition:primaries loses acknowledged writes, and says when, where and under which fault', () => {
    const r = harness(['test', '--target', 'redis-sentinel', '--workload', 'set', '--nemesis', 'partition:primaries', '--nemesis-interval', '8', '--time-limit', '20', '--seed', '1', '--store', store]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 1 });
    const run = latestRun(store);
    const set = readJson(join(run, 'results.json')).checkers.set;
    expect(set.valid).toBe(false);
    const lost = set.details.lost as LostAdd[];
    expect(lost.length).toBeGreaterThan(0);
    for (const a of lost) expect(a.node).toMatch(/^n\d$/);
    // The writes the isolated master acknowledged while it was cut off.
    expect(lost.some((a) => a.faults.some((f) => /^start-partition primaries n\d$/.test(f)))).toBe(true);
    expect(r.stdout).toMatch(/set: \d+ lost \(\d+\.\d% of acknowledged; acknowledged under start-partition primaries n\d/);
    expect(leftovers(run)).toEqual([]);
  });

  it('is valid with no faults', () => {
    const r = harness(['test', '--target', 'redis-sentinel', '--workload', 'set', '--nemesis', 'none', '--time-limit', '10', '--seed', '1', '--store', store]);
    expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 0 });
  });

  it('runs clock faults: redis-server and redis-sentinel (jemalloc) start under the clock shim and every clock fault applies', () => {
    const r = harness(['test', '--target', 'redis-sentinel', '--workload', 'set', '--nemesis', 'clock', '--nemesis-interval', '4', '--time-limit', '15', '--seed', '1', '--store', store]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // 2 would be the setup failure libfaketime gave ("did not start serving"); a failover a clock jump provokes may lose a few adds (1).
    expect([0, 1]).toContain(r.status);
    const run = latestRun(store);
    const results = readJson(join(run, 'results.json'));
    expect(results.stats.faults.clock.applied).toBeGreaterThan(0);
    expect(results.stats.faults.clock.failed).toBe(0);
    expect(leftovers(run)).toEqual([]);
  });

  it('is valid when every partition leaves the master with a majority (majorities-ring: no quorum ever deems it down)', () => {
    const r = harness(['test', '--target', 'redis-sentinel', '--workload', 'set', '--nemesis', 'partition:majorities-ring', '--nemesis-interval', '4', '--time-limit', '20', '--seed', '3', '--store', store]);
    expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 0 });
  });
});
