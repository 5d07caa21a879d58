/**
 * Every planted bug of raft-kv, through the harness, with the exact options
 * `harness list --target raft-kv --json` documents for it: the run must find
 * an anomaly (exit 1). The same options without the bug must pass (exit 0):
 * no false alarm. Set HARNESS_E2E_BUGS=name,name to run a subset.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness, isRoot, latestRun, leftovers, newStore, readJson } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));

interface Bug {
  name: string;
  options: string[];
  finds: { checker: string; anomaly: string };
}

const listed = harness(['list', '--target', 'raft-kv', '--json']);
const bugs: Bug[] = listed.status === 0 ? JSON.parse(listed.stdout).bugs : [];
const only = process.env['HARNESS_E2E_BUGS']?.split(',');
describe.skipIf(!isRoot)('planted bugs of raft-kv are caught by their documented options', () => {
  it('lists the bugs the issue asks for', () => {
    expect(bugs.map((b) => b.name)).toEqual(expect.arrayContaining(['stale-read', 'no-fsync', 'forget-vote', 'commit-old-term', 'lease-no-margin']));
  });

  for (const bug of bugs) {
    if (only && !only.includes(bug.name)) continue;
    it(`--bug ${bug.name} ${bug.options.join(' ')}: exit 1, and exit 0 without the bug`, () => {
      const withBug = harness(['test', '--target', 'raft-kv', '--bug', bug.name, ...bug.options, '--seed', '1', '--store', store], 300_000);
      const run = latestRun(store);
      expect({ bug: bug.name, status: withBug.status, out: withBug.stdout }).toMatchObject({ status: 1 });
      const results = readJson(join(run, 'results.json'));
      expect(results.valid).toBe(false);
      // The anomaly the bug causes, found by the checker that should find it.
      expect(results.checkers[bug.finds.checker]).toMatchObject({ valid: false, summary: expect.stringContaining(bug.finds.anomaly) });
      expect(leftovers(run)).toEqual([]);
      const without = harness(['test', '--target', 'raft-kv', ...bug.options, '--seed', '1', '--store', store], 300_000);
      expect({ bug: `no ${bug.name}`, status: without.status, out: without.stdout }).toMatchObject({ status: 0 });
    });
  }
});
