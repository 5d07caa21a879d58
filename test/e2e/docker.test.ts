/**
 * `harness test --provisioner docker` end to end, short enough for CI (the
 * long matrix runs nightly): the same scenario as on the local provisioner
 * with the same verdicts (raft-kv under partitions, without and with
 * --bug stale-read, through `harness suite`), the image reused, the host's
 * clock untouched by clock faults, nothing left after a run, after Ctrl-C,
 * and after kill -9 of the controller followed by `harness clean`.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJunit, type TestSuites } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { currentLatest, dockerLeftovers, harness, hasDocker, isRoot, latestRun, leftovers, newRunRecording, newStore, readJson, startHarness } from './support.js';

const store = newStore();
afterAll(() => rmSync(store, { recursive: true, force: true }));

const short = ['--nemesis-interval', '2', '--time-limit', '15', '--seed', '3'];

describe.skipIf(!isRoot || !hasDocker)('harness test on raft-kv with the docker provisioner', () => {
  it('gives the verdicts of the local provisioner: valid under partitions, invalid with --bug stale-read', async () => {
    const file = join(store, 'same.yaml');
    writeFileSync(
      file,
      [
        'name: same-on-both',
        'defaults: { target: raft-kv, workload: register, nemesis: partition, nemesis-interval: 2, time-limit: 15, seed: 3 }',
        'runs:',
        '  - { provisioner: [local, docker] }',
        '  - { provisioner: [local, docker], bug: stale-read, expect: invalid }',
        '',
      ].join('\n'),
    );
    const r = harness(['suite', '--file', file, '--store', store], 600_000);
    const dir = join(store, 'suites', readdirSync(join(store, 'suites')).find((d) => d.endsWith('same-on-both'))!);
    const suite = readJson(join(dir, 'suite.json'));
    const verdicts = suite.rows.map((row: { settings: { provisioner: string }; bugs: string[]; verdict: unknown }) => `${row.settings.provisioner}${row.bugs.length ? ' stale-read' : ''}: ${String(row.verdict)}`);
    expect(verdicts).toEqual(['local: true', 'docker: true', 'local stale-read: false', 'docker stale-read: false']);
    expect({ status: r.status, table: r.stdout }).toMatchObject({ status: 0 });
    // The JUnit file reads back: four cases, none failed.
    const junit = (await parseJunit(readFileSync(join(dir, 'junit.xml'), 'utf8'))) as TestSuites;
    expect(junit.testsuite![0]).toMatchObject({ tests: 4, failures: 0, errors: 0 });
    // The docker runs: up and serving quickly, the image not rebuilt by the second, a counterexample for the bug, nothing left.
    for (const row of suite.rows.filter((x: { settings: { provisioner: string } }) => x.settings.provisioner === 'docker')) {
      const run = join(store, row.runPath);
      const log = readFileSync(join(run, 'harness.log'), 'utf8');
      expect(log).toMatch(/up and serving \d+\.\d s after provisioning began/);
      expect(leftovers(run)).toEqual([]);
      expect(readFileSync(join(run, 'nodes', 'n1', 'raft-kv.log'), 'utf8').length).toBeGreaterThan(0);
      if (row.bugs.length) {
        expect(log).toMatch(/is up to date \(not rebuilt\)/);
        expect(readJson(join(run, 'results.json')).checkers.linearizable.summary).toMatch(/NOT linearizable on key/);
      }
    }
  }, 600_000);

  it('never changes the host clock: wall clock and monotonic clock agree across a clock-fault run', () => {
    const offset = () => Date.now() - performance.now();
    const before = offset();
    const r = harness(['test', '--target', 'raft-kv', '--nemesis', 'clock', '--provisioner', 'docker', '--nemesis-interval', '1', '--time-limit', '8', '--store', store]);
    const after = offset();
    expect([0, 1, 3]).toContain(r.status);
    const results = readJson(join(latestRun(store), 'results.json'));
    expect(results.stats.faults.clock.applied).toBeGreaterThan(0);
    expect(Math.abs(after - before)).toBeLessThan(250);
  }, 300_000);

  it('leaves nothing after Ctrl-C', async () => {
    const before = currentLatest(store);
    const child = startHarness(['test', '--target', 'raft-kv', '--provisioner', 'docker', '--nemesis', 'partition,pause,packet', '--nemesis-interval', '1', '--time-limit', '120', '--store', store]);
    const run = await newRunRecording(store, before);
    child.kill('SIGINT');
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect([1, 3]).toContain(status);
    expect(readJson(join(run, 'results.json')).reasons).toContain('interrupted (Ctrl-C) before the time limit');
    expect(leftovers(run)).toEqual([]);
  }, 300_000);

  it('after kill -9 of the controller, harness clean removes the containers and network and copies the node logs out', async () => {
    const before = currentLatest(store);
    const child = startHarness(['test', '--target', 'raft-kv', '--provisioner', 'docker', '--nemesis', 'partition', '--nemesis-interval', '1', '--time-limit', '120', '--store', store]);
    const run = await newRunRecording(store, before);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const runId = run.split('/').at(-1)!;
    expect(dockerLeftovers(runId).length).toBeGreaterThan(0); // nobody tore it down
    const clean = harness(['clean']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/docker .*cleaned [1-9]\d* run/);
    expect(leftovers(run)).toEqual([]);
    expect(readFileSync(join(run, 'nodes', 'n1', 'raft-kv.log'), 'utf8').length).toBeGreaterThan(0);
  }, 300_000);

  it('says what to do, with exit status 2, when no engine answers', () => {
    const r = harness(['test', '--target', 'raft-kv', '--provisioner', 'docker', '--time-limit', '1', '--store', store], 60_000, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no Docker engine answers at unix:\/\/\/nonexistent\/docker.sock.*DOCKER_HOST/);
  });
});

