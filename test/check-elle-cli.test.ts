/**
 * `harness check --checker elle-*` on small hand-written Elle-format EDN and
 * JSONL histories: verdicts, Elle's anomaly names, the model boundary, and
 * one clear message for bad input. Runs the built CLI (npm test builds it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist/harness/cli.js');

function harness(args: string[]) {
  if (!existsSync(cli)) throw new Error('dist/harness/cli.js is missing: run `npm run build` (npm test does it)');
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('harness check --checker elle-*', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-elle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, lines: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  };
  const txn = (process: number, type: string, value: string) => `{:type :${type}, :process ${process}, :f :txn, :value ${value}}`;
  // T1 appends x 1 and reads y = [1] (T2's); T2 appends x 2 after it: G1c.
  const g1c = write('g1c.edn', [
    txn(0, 'invoke', '[[:append :x 1] [:r :y nil]]'),
    txn(0, 'ok', '[[:append :x 1] [:r :y [1]]]'),
    txn(1, 'invoke', '[[:append :x 2] [:append :y 1]]'),
    txn(1, 'ok', '[[:append :x 2] [:append :y 1]]'),
    txn(2, 'invoke', '[[:r :x nil]]'),
    txn(2, 'ok', '[[:r :x [1 2]]]'),
  ]);
  const valid = write('valid.edn', [txn(0, 'invoke', '[[:append :x 1]]'), txn(0, 'ok', '[[:append :x 1]]'), txn(1, 'invoke', '[[:r :x nil]]'), txn(1, 'ok', '[[:r :x [1]]]')]);

  it('names the anomaly, the boundary and the time, in JSON with Elle spellings too', () => {
    const r = harness(['--checker', 'elle-list-append', '--json', g1c]);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ valid: false, anomalyTypes: ['G1c'], 'anomaly-types': ['G1c'], not: ['read-committed'] });
    expect(j['also-not']).toContain('serializable');
    expect(j.checkMs).toBeGreaterThan(0);
  });

  it('explains the cycle in words, and exits 0 for a valid history', () => {
    const r = harness(['--checker', 'elle-list-append', g1c]);
    expect(r.stdout).toMatch(/^INVALID .*g1c\.edn \(elle-list-append, 3 txns/);
    expect(r.stdout).toContain("However, T2 < T1, because T1 read y = [1], which includes T2's append of 1: a contradiction!");
    expect(harness(['--checker', 'elle-list-append', valid]).status).toBe(0);
  });

  it('checks the models asked for', () => {
    // A read of y = [] after y's append committed: not strict serializable, but serializable.
    const stale = write('stale.jsonl', [
      '{"type":"invoke","process":0,"f":"txn","value":[["append",1,1]]}',
      '{"type":"ok","process":0,"f":"txn","value":[["append",1,1]]}',
      '{"type":"invoke","process":1,"f":"txn","value":[["r",1,null]]}',
      '{"type":"ok","process":1,"f":"txn","value":[["r",1,[]]]}',
    ]);
    expect(JSON.parse(harness(['--checker', 'elle-list-append', '--json', stale]).stdout).anomalyTypes).toEqual(['G-single-item-realtime']);
    expect(harness(['--checker', 'elle-list-append', '--consistency-models', 'serializable,strong-session-snapshot-isolation', stale]).status).toBe(0);
  });

  it('rw-register histories', () => {
    const skew = write('skew.edn', [
      txn(0, 'invoke', '[[:r :x nil] [:w :y 1]]'),
      txn(1, 'invoke', '[[:r :y nil] [:w :x 1]]'),
      txn(0, 'ok', '[[:r :x nil] [:w :y 1]]'),
      txn(1, 'ok', '[[:r :y nil] [:w :x 1]]'),
    ]);
    expect(JSON.parse(harness(['--checker', 'elle-rw-register', '--json', skew]).stdout).anomalyTypes).toEqual(['G2-item']);
  });

  it('bad input: one message and exit 2, no stack trace', () => {
    const bad = write('bad.edn', [txn(0, 'invoke', '[[:append :x]]'), txn(0, 'ok', '[[:append :x]]')]);
    const r = harness(['--checker', 'elle-list-append', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.edn: op 1: expected a micro-op \[f, key, value\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const m = harness(['--checker', 'elle-list-append', '--consistency-models', 'snapshot', valid]);
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/^harness: unknown consistency model 'snapshot'; expected one of strict-serializable/);
  });
});
