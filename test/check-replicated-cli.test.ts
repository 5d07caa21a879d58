/**
 * `harness check --checker quorum|session|convergence` on small JSONL
 * histories, through the built CLI (npm test builds it first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyedHistoryBuilder } from '../checkers/keyed-fixtures.js';

const cli = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist/harness/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'check-replicated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, b: KeyedHistoryBuilder): string {
  const path = join(dir, name);
  writeFileSync(path, b.ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
  return path;
}

function harness(args: string[]) {
  if (!existsSync(cli)) throw new Error('dist/harness/cli.js is missing: run `npm run build` (npm test does it)');
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const healthy = () => new KeyedHistoryBuilder().write(1, 'x', 1).read(1, 'x', [1]).write(1, 'x', 2).read(1, 'x', [2]).nemesis('heal-all').converge(9, [{ key: 'x', replicas: { n1: [2], n2: [2] } }]);
const stale = () => new KeyedHistoryBuilder().write(1, 'x', 1).write(1, 'x', 2).read(1, 'x', [1]).converge(9, [{ key: 'x', replicas: { n1: [2], n2: [1] } }], false);

describe('harness check --checker for leaderless stores', () => {
  it('passes a healthy history with each checker', () => {
    const f = file('healthy.jsonl', healthy());
    for (const checker of ['quorum', 'session', 'convergence']) {
      const r = harness(['check', '--checker', checker, f]);
      expect({ checker, status: r.status }).toEqual({ checker, status: 0 });
      expect(r.stdout).toMatch(/^valid/);
    }
  });

  it('names what each checker finds, with exit status 1', () => {
    const f = file('stale.jsonl', stale());
    const quorum = harness(['check', '--checker', 'quorum', f]);
    expect(quorum.status).toBe(1);
    expect(quorum.stdout).toMatch(/1 stale reads of 1[\s\S]*read \[1\] by process 1 \(op 4\) missed write 2/);
    const session = harness(['check', '--checker', 'session', f]);
    expect(session.status).toBe(1);
    expect(session.stdout).toMatch(/read-your-writes: session 1, key "x"/);
    const convergence = harness(['check', '--checker', 'convergence', '--siblings', '--json', f]);
    expect(convergence.status).toBe(1);
    expect(JSON.parse(convergence.stdout)).toMatchObject({ checker: 'convergence', valid: false, result: { agreed: false, divergentCount: 1, rule: 'siblings' } });
  });

  it('refuses an unknown checker and a missing file with exit status 2', () => {
    const bad = harness(['check', '--checker', 'psychic', join(dir, 'none.jsonl')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/psychic/);
    const missing = harness(['check', '--checker', 'quorum', join(dir, 'none.jsonl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });
});
