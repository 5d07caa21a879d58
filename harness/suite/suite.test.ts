import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseJunit, type TestSuites } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { suiteCommand, type SuiteCommandOptions } from '../commands/suite.js';
import type { RunResults, TestSpec } from '../run-record.js';
import { targetByName } from '../targets.js';
import { expandMatrix, parseSuiteFile, rowName, suiteRows } from './matrix.js';
import { judge, junitXml, suiteExitCode, type RowOutcome } from './outcome.js';

describe('suite matrix', () => {
  it('expands list values into their cross product, the last key fastest', () => {
    expect(expandMatrix({ target: 'raft-kv', workload: ['register', 'set'], nemesis: ['partition', 'kill'] })).toEqual([
      { target: 'raft-kv', workload: 'register', nemesis: 'partition' },
      { target: 'raft-kv', workload: 'register', nemesis: 'kill' },
      { target: 'raft-kv', workload: 'set', nemesis: 'partition' },
      { target: 'raft-kv', workload: 'set', nemesis: 'kill' },
    ]);
  });

  it('reads a YAML file: defaults, then the command line, then the row win; a planted-bug row expects invalid', () => {
    const file = parseSuiteFile(
      ['name: nightly', 'defaults: { provisioner: docker, time-limit: 120 }', 'runs:', '  - { target: raft-kv, nemesis: [partition, "partition,kill"], read-mode: [log, lease] }', '  - { target: raft-kv, bug: stale-read, nemesis: partition, time-limit: 60, expect: invalid }'].join('\n'),
      'suite.yaml',
    );
    const rows = suiteRows(file, { 'time-limit': 90 }, targetByName);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ settings: { provisioner: 'docker', 'time-limit': '90', target: 'raft-kv', nemesis: 'partition', 'read-mode': 'log' }, bugs: [], expect: 'valid' });
    expect(rows[4]).toMatchObject({ settings: { 'time-limit': '60' }, bugs: ['stale-read'], expect: 'invalid' });
    expect(rowName(rows[1]!)).toBe('raft-kv default workload nemesis partition read-mode=lease on docker');
    expect(file.name).toBe('nightly');
  });

  it('reads JSON too, and refuses what it does not know before any run', () => {
    expect(parseSuiteFile('{"runs": [{"target": "raft-kv"}]}', 'x.json').runs).toHaveLength(1);
    expect(() => parseSuiteFile('runs: []', 'x')).toThrow(/non-empty list/);
    expect(() => parseSuiteFile('matrix: []', 'x')).toThrow(/unknown key 'matrix'/);
    expect(() => suiteRows(parseSuiteFile('runs: [{target: raft-kv, red-mode: log}]', 'x'), {}, targetByName)).toThrow(/unknown setting 'red-mode'/);
    expect(() => suiteRows(parseSuiteFile('runs: [{target: raft-kv, expect: maybe}]', 'x'), {}, targetByName)).toThrow(/expect must be valid or invalid/);
    expect(() => suiteRows(parseSuiteFile('runs: [{target: nope}]', 'x'), {}, targetByName)).toThrow(/unknown target 'nope'/);
  });
});

describe('suite outcome', () => {
  const o = (status: RowOutcome['status'], extra: Partial<RowOutcome> = {}): RowOutcome => ({ name: `run ${status}`, target: 'raft-kv', expect: 'valid', status, seconds: 1, ...extra });

  it('judges a run against its row: an unexpected anomaly or a missed planted bug fails', () => {
    const showed = (verdict: true | false | 'unknown', ...invalidCheckers: string[]) => ({ verdict, invalidCheckers });
    expect(judge('valid', showed(true), '')).toEqual({ status: 'passed' });
    expect(judge('valid', showed(false, 'linearizable'), 'linearizable: NOT linearizable')).toEqual({ status: 'failed', message: 'linearizable: NOT linearizable' });
    expect(judge('invalid', showed(false, 'set'), 'x')).toEqual({ status: 'passed' });
    expect(judge('invalid', showed(true), '').status).toBe('failed');
    expect(judge('valid', showed('unknown'), 'no final read')).toEqual({ status: 'unknown', message: 'no final read' });
  });

  it('counts an expected anomaly as caught only on the evidence of the checker that finds the planted bug', () => {
    const showed = (...invalidCheckers: string[]) => ({ verdict: false as const, invalidCheckers });
    expect(judge('invalid', showed('linearizable'), 'x', ['linearizable'])).toEqual({ status: 'passed' });
    // Invalid for another reason: the cluster never served again (no checker), or another checker.
    expect(judge('invalid', showed(), 'did not serve again', ['linearizable'])).toEqual({
      status: 'failed',
      message: 'expected an anomaly found by linearizable, but the run was invalid otherwise: did not serve again',
    });
    expect(judge('invalid', showed('set'), 'set: 3 lost', ['linearizable']).status).toBe('failed');
    // A row naming no bug (an unsafe set-up) needs some checker, not liveness alone.
    expect(judge('invalid', showed(), 'did not serve again').status).toBe('failed');
  });

  it('exits 1 on a failure, else 2 on an error, else 3 on an unknown, else 0', () => {
    expect(suiteExitCode([o('passed'), o('passed')])).toBe(0);
    expect(suiteExitCode([o('passed'), o('unknown')])).toBe(3);
    expect(suiteExitCode([o('unknown'), o('error')])).toBe(2);
    expect(suiteExitCode([o('error'), o('failed')])).toBe(1);
  });

  it('writes JUnit XML that a JUnit parser reads back: one case per run, an anomaly a failure with the summary, an error an error', async () => {
    const text = junitXml('nightly <1>', [o('passed'), o('failed', { verdict: false, message: 'NOT linearizable on key 3: read -> 2 & "x"' }), o('error', { message: 'no Docker engine' }), o('skipped')], '2026-01-01T00:00:00Z');
    const parsed = (await parseJunit(text)) as TestSuites;
    const suite = parsed.testsuite![0]!;
    expect(suite).toMatchObject({ name: 'nightly <1>', tests: 4, failures: 1, errors: 1, skipped: 1 });
    const cases = suite.testcase!;
    expect(cases.map((c) => c.name)).toEqual(['run passed', 'run failed', 'run error', 'run skipped']);
    expect(cases[1]!.failure![0]!.message).toBe('NOT linearizable on key 3: read -> 2 & "x"');
    expect(cases[2]!.error![0]!.message).toBe('no Docker engine');
    expect(cases[3]!.skipped).toHaveLength(1);
  });
});

describe('harness suite over a fake runner', () => {
  const store = mkdtempSync(join(tmpdir(), 'hx-suite-'));
  afterAll(() => rmSync(store, { recursive: true, force: true }));
  const base: SuiteCommandOptions = { target: [], workload: [], nemesis: [], option: [], bug: [], store };

  /** A runner whose verdict is invalid exactly when a bug is on. */
  const fake = async (spec: TestSpec) => {
    const runDir = join(store, spec.target, `run-${spec.nemesis.join('+')}-${spec.bugs.join('+')}`);
    const valid = spec.bugs.length === 0;
    const results = { valid, reasons: valid ? [] : ['linearizable: NOT linearizable'], reason: valid ? undefined : 'linearizable: NOT linearizable', checkers: { linearizable: { valid, summary: valid ? 'ok' : 'NOT linearizable on key 1' } } } as unknown as RunResults;
    return { runDir, results };
  };
  const quiet = async <T>(f: () => Promise<T>) => {
    const write = process.stdout.write.bind(process.stdout);
    const ew = process.stderr.write.bind(process.stderr);
    process.stdout.write = () => true;
    process.stderr.write = () => true;
    try {
      return await f();
    } finally {
      process.stdout.write = write;
      process.stderr.write = ew;
    }
  };

  it('exits 0 when a planted-bug row expects its anomaly, 1 when a row did not expect one, and writes JUnit and an index', async () => {
    const file = join(store, 'suite.yaml');
    writeFileSync(file, 'runs:\n  - { target: raft-kv, nemesis: [partition, kill] }\n  - { target: raft-kv, nemesis: partition, bug: stale-read, expect: invalid }\n');
    expect(await quiet(() => suiteCommand({ ...base, file, name: 'ok' }, fake))).toBe(0);
    expect(await quiet(() => suiteCommand({ ...base, target: ['raft-kv'], nemesis: ['partition'], bug: ['stale-read'], name: 'bad' }, fake))).toBe(1);
    const dirs = readdirSync(join(store, 'suites'));
    const ok = dirs.find((d) => d.endsWith('-ok'))!;
    const parsed = (await parseJunit(readFileSync(join(store, 'suites', ok, 'junit.xml'), 'utf8'))) as TestSuites;
    expect(parsed.testsuite![0]).toMatchObject({ tests: 3, failures: 0, errors: 0 });
    expect(readFileSync(join(store, 'suites', ok, 'index.html'), 'utf8')).toContain('report.html');
  });

  it('refuses a matrix given both ways, or no target', async () => {
    await expect(suiteCommand({ ...base, file: 'x.yaml', target: ['raft-kv'] }, fake)).rejects.toThrow(/not both/);
    await expect(suiteCommand(base, fake)).rejects.toThrow(/--file FILE or at least one --target/);
  });
});
