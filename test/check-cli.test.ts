/**
 * `harness check` against the recorded corpora, with the verdicts their
 * authors established, checked the way Knossos' and Porcupine's own suites
 * check them. Runs the built CLI (npm test builds it first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/harness/cli.js');
const corpus = resolve(root, '../shared/corpus');

function harness(args: string[]): { status: number; stdout: string; stderr: string } {
  if (!existsSync(cli)) throw new Error('dist/harness/cli.js is missing: run `npm run build` (npm test does it)');
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function checkJson(args: string[]): { file: string; valid: unknown; ops: number; checkMs: number }[] {
  const r = harness(['check', '--json', ...args]);
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

function ednFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.edn')).map((f) => join(dir, f));
}

/** Whether no client operation of an EDN history completed ok. */
const nothingOk = (file: string) => !/:type :ok/.test(readFileSync(file, 'utf8'));

describe.skipIf(!existsSync(corpus))('harness check on the recorded corpora', () => {
  it('gives every Knossos cas-register history its verdict (initial value 0, nil reads tell nothing)', () => {
    for (const verdict of ['good', 'bad'] as const) {
      const files = ednFiles(join(corpus, 'knossos/data/cas-register', verdict));
      expect(files.length).toBeGreaterThan(0);
      for (const r of checkJson(['--model', 'cas-register', '--init', '0', ...files])) {
        // Where no operation completed ok there is nothing to check: unknown, where Knossos says valid.
        const expected = verdict === 'bad' ? false : nothingOk(r.file) ? 'unknown' : true;
        expect({ file: r.file, valid: r.valid }).toEqual({ file: r.file, valid: expected });
      }
    }
  });

  it('gives the multi-register and mutex histories their verdicts', () => {
    const [multi] = checkJson(['--model', 'multi-register', '--init', '{"x":0,"y":0}', ...ednFiles(join(corpus, 'knossos/data/multi-register/good'))]);
    expect(multi!.valid).toBe(true);
    for (const r of checkJson(['--model', 'mutex', ...ednFiles(join(corpus, 'knossos/data/mutex/bad'))])) expect(r.valid).toBe(false);
  });

  it("gives Porcupine's etcd and kv logs the verdicts of EXPECTED.tsv", () => {
    const expected = readFileSync(join(corpus, 'porcupine/EXPECTED.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t') as [string, string]);
    expect(expected.length).toBe(56);
    const files = expected.map(([f]) => join(corpus, 'porcupine/test_data', f));
    const reports = checkJson(files); // formats and models come from the files
    expect(reports.map((r) => [r.file, r.valid])).toEqual(expected.map(([f, v], i) => [files[i], v === 'linearizable']));
    for (const r of reports) expect(r.checkMs).toBeGreaterThanOrEqual(0);
  });
});

describe('harness check exit statuses and errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const good = write('good.jsonl', ['{"type":"invoke","process":0,"f":"write","value":1}', '{"type":"ok","process":0,"f":"write","value":1}', '{"type":"invoke","process":1,"f":"read","value":null}', '{"type":"ok","process":1,"f":"read","value":1}'].join('\n') + '\n');
  const bad = write('bad.edn', '{:type :invoke, :process 0, :f :write, :value 1}\n{:type :ok, :process 0, :f :write, :value 1}\n{:type :invoke, :process 1, :f :read}\n{:type :ok, :process 1, :f :read, :value 2}\n');

  it('exits 0 when valid, 1 when invalid, and prints one line per file', () => {
    const ok = harness(['check', '--model', 'register', good]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^valid +.*good\.jsonl \(4 ops/);
    const both = harness(['check', '--model', 'register', good, bad]);
    expect(both.status).toBe(1);
    expect(both.stdout).toMatch(/INVALID +.*bad\.edn/);
    expect(both.stdout).toMatch(/read -> 2 \(op 2, completed at 3\) cannot be linearized/);
  });

  it('exits 3 when the budget runs out before a verdict', () => {
    const r = harness(['check', '--model', 'register', '--timeout', '0.000001', '--json', good]);
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: 'unknown', result: { unknownReason: expect.stringMatching(/^time limit of .* s reached$/) } });
  });

  it('exits 2 with one clear line, and no stack trace, for bad input', () => {
    const cases: [string[], RegExp][] = [
      [['check', '--model', 'register', join(dir, 'missing.jsonl')], /missing\.jsonl: no such file/],
      [['check', '--model', 'nope', good], /argument 'nope' is invalid/],
      [['check', good], /--model is required/],
      [['check', '--model', 'register', '--init', '{x', good], /--init must be JSON/],
      [['check', '--model', 'register', write('cut.edn', '{:type :ok, :process 1\n')], /cut\.edn:1: unterminated map/],
      [['check', '--model', 'register', write('twice.jsonl', '{"type":"invoke","process":0,"f":"read"}\n{"type":"invoke","process":0,"f":"read"}\n')], /op 1: process 0 invoked read while its op 0 was still in flight/],
      [['check', '--model', 'mutex', good], /the mutex model has acquire and release; found 'write'/],
    ];
    for (const [args, message] of cases) {
      const r = harness(args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr + r.stdout).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reads a history that a killed writer left behind', () => {
    const path = write('killed.jsonl', '');
    const script = `
      import { HistoryWriter } from ${JSON.stringify(join(root, 'dist/harness/history/jsonl.js'))};
      const w = new HistoryWriter(${JSON.stringify(path)});
      for (let i = 0; ; i++) {
        w.append({ index: 2 * i, time: 2 * i, type: 'invoke', process: 0, f: 'write', value: i });
        w.append({ index: 2 * i + 1, time: 2 * i + 1, type: 'ok', process: 0, f: 'write', value: i });
        if (i === 500) process.kill(process.pid, 'SIGKILL');
      }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
    expect(r.signal).toBe('SIGKILL');
    const out = execFileSync(process.execPath, [cli, 'check', '--model', 'register', '--json', path], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ valid: true, ops: 1002 });
  });
});
