/**
 * Every workload of raft-kv, on a healthy cluster (`--nemesis none`), with
 * every read mode: the run must be valid, with every kind of operation
 * succeeding and the final reads done. A false alarm here is as bad as a
 * missed bug.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, isRoot, latestRun, newStore, readJson } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));

const listed = harness(['list', '--target', 'raft-kv', '--json']);
const workloads: string[] = listed.status === 0 ? JSON.parse(listed.stdout).workloads : [];

describe.skipIf(!isRoot)('raft-kv without faults', () => {
  it('lists the generic workloads', () => {
    expect(workloads).toEqual(['register', 'set', 'append']);
  });

  for (const workload of workloads) {
    for (const readMode of ['log', 'read-index', 'lease']) {
      it(`--workload ${workload} --read-mode ${readMode} --nemesis none is valid`, () => {
        const r = harness(['test', '--target', 'raft-kv', '--workload', workload, '--read-mode', readMode, '--nemesis', 'none', '--time-limit', '5', '--store', store]);
        expect({ workload, readMode, status: r.status, out: r.stdout, err: r.stderr.slice(-500) }).toMatchObject({ status: 0 });
        const results = readJson(join(latestRun(store), 'results.json'));
        expect(results.valid).toBe(true);
        expect(results.stats.finals.ok).toBeGreaterThan(0);
        for (const s of Object.values(results.stats.ops) as { ok: number }[]) expect(s.ok).toBeGreaterThan(0);
      });
    }
  }

  it('--workload append --bug stale-read --nemesis partition is invalid, with the anomaly named by the transactional checker', () => {
    const r = harness(['test', '--target', 'raft-kv', '--workload', 'append', '--bug', 'stale-read', '--nemesis', 'partition', '--nemesis-interval', '2', '--time-limit', '20', '--store', store]);
    expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 1 });
    const checker = readJson(join(latestRun(store), 'results.json')).checkers['list-append'];
    expect(checker.valid).toBe(false);
    expect(checker.details.anomalyTypes.some((t: string) => /^G/.test(t))).toBe(true);
    expect(checker.details.not.length).toBeGreaterThan(0);
  });
});
