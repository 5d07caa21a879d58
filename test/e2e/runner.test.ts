/**
 * `harness test` end to end on the local provisioner: the main job, Ctrl-C
 * in the middle, and a controller killed with kill -9 (then `harness check`
 * on what it left, and `harness clean`). Needs root, like the provisioner.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, currentLatest, harness, isRoot, latestRun, leftovers, newRunRecording, newStore, readJson, startHarness } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!isRoot)('harness test on raft-kv with the local provisioner', () => {
  it('runs the main job with partitions, passes, writes the report, and leaves nothing behind', () => {
    const r = harness(['test', '--target', 'raft-kv', '--nemesis', 'partition', '--nemesis-interval', '2', '--time-limit', '12', '--seed', '7', '--store', store]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect({ status: r.status, out: r.stdout }).toMatchObject({ status: 0 });
    const run = latestRun(store);
    const results = readJson(join(run, 'results.json'));
    expect(results.valid).toBe(true);
    expect(results.stats.faults.partition.applied).toBeGreaterThan(0);
    expect(results.recovery.served).toBe(true);
    // Final reads of every key the run touched came after the heal.
    expect(results.stats.finals.ok).toBe(results.stats.finals.asked);
    expect(results.stats.finals.asked).toBe(results.checkers.linearizable.details.keys);
    expect(results.checkers.linearizable.details.calls).toBeGreaterThan(300);
    const spec = readJson(join(run, 'test.json')).spec;
    expect(spec).toMatchObject({ target: 'raft-kv', nemesis: ['partition'], seed: 7, nodes: 5 });
    const history = harness(['check', '--model', 'cas-register', '--per-key', '--semantics', 'strict', '--json', join(run, 'history.jsonl')]);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout).ops).toBeGreaterThan(600);
    // The nemesis acted, and its operations are in the history.
    expect(historyFs(run)).toContain('start-partition');
    expect(leftovers(run)).toEqual([]);
  });

  it('stops on Ctrl-C, heals, tears down, and still checks what it recorded', async () => {
    const before = currentLatest(store);
    const child = startHarness(['test', '--target', 'raft-kv', '--nemesis', 'partition,pause', '--nemesis-interval', '1', '--time-limit', '120', '--store', store]);
    const run = await newRunRecording(store, before);
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect([1, 3]).toContain(status); // unknown, unless an anomaly was found first
    const results = readJson(join(run, 'results.json'));
    expect(results.reasons).toContain('interrupted (Ctrl-C) before the time limit');
    expect(leftovers(run)).toEqual([]);
  });

  it('leaves a checkable history after kill -9 of the controller, and harness clean removes the rest', async () => {
    const before = currentLatest(store);
    const child = startHarness(['test', '--target', 'raft-kv', '--nemesis', 'partition', '--nemesis-interval', '1', '--time-limit', '120', '--store', store]);
    const run = await newRunRecording(store, before);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(leftovers(run).length).toBeGreaterThan(0); // the cluster is still there: nobody tore it down
    const check = harness(['check', '--model', 'cas-register', '--per-key', '--semantics', 'strict', '--json', join(run, 'history.jsonl')]);
    expect([0, 1, 3]).toContain(check.status);
    expect(JSON.parse(check.stdout).ops).toBeGreaterThan(300);
    const clean = harness(['clean']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/cleaned [1-9]\d* run/);
    expect(leftovers(run)).toEqual([]);
  });

  it('says that it needs root, with exit status 2, when it is not root', () => {
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, 'test', '--target', 'raft-kv', '--time-limit', '1', '--store', join(store, 'nobody')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the local provisioner needs root/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses bad input with one line and exit status 2', () => {
    for (const [args, message] of [
      [['test', '--target', 'nope'], /unknown target 'nope'; expected one of raft-kv/],
      [['test', '--target', 'raft-kv', '--workload', 'bank'], /no workload 'bank'/],
      [['test', '--target', 'raft-kv', '--bug', 'nope'], /no planted bug 'nope'/],
      [['test', '--target', 'raft-kv', '--nemesis', 'meteor'], /unknown nemesis "meteor"/],
      [['test', '--target', 'raft-kv', '--read-mode', 'psychic'], /--read-mode must be one of log, read-index, lease/],
    ] as [string[], RegExp][]) {
      const r = harness([...args, '--time-limit', '1', '--store', store]);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});


function historyFs(run: string): string[] {
  const text = readFileSync(join(run, 'history.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l).f as string);
}
