import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryWriter, parseJsonlHistory } from './jsonl.js';
import type { Op } from './op.js';
import { detectFormat, parseHistory, readHistory } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JSON Lines histories', () => {
  it('appends ops that another reader sees at once, before close', () => {
    const path = join(dir, 'h.jsonl');
    const w = new HistoryWriter(path);
    const op: Op = { index: 0, time: 10, type: 'invoke', process: 0, f: 'write', value: 1, node: 'n1' };
    w.append(op);
    w.append({ ...op, index: 1, type: 'ok' });
    // Not closed: the lines are already in the file (a SIGKILLed controller leaves them).
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readHistory(path).ops).toEqual([op, { ...op, index: 1, type: 'ok' }]);
    w.close();
  });

  it('skips a last line cut short, with a warning, but rejects a bad line in the middle', () => {
    const path = join(dir, 'cut.jsonl');
    writeFileSync(path, '{"index":0,"time":0,"type":"invoke","process":0,"f":"read","value":null}\n');
    appendFileSync(path, '{"index":1,"time":1,"type":"ok","proc');
    const h = readHistory(path);
    expect(h.ops).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/cut short/);
    expect(() => parseJsonlHistory('{"type":"ok"\n{"type":"ok","process":0,"f":"x"}\n', 'm.jsonl')).toThrow(/m\.jsonl:1: expected one JSON object per line/);
  });
});

describe('format detection and Porcupine logs', () => {
  it('tells the formats apart by name and content', () => {
    expect(detectFormat('a.jsonl', '{"type":"ok"}')).toBe('jsonl');
    expect(detectFormat('history.edn', '{:type :ok}')).toBe('edn');
    expect(detectFormat('x.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\n')).toBe('porcupine-etcd');
    expect(detectFormat('c01.txt', '{:process 0, :type :invoke, :f :get, :key "1", :value nil}')).toBe('porcupine-kv');
    expect(() => detectFormat('x.bin', 'hello')).toThrow(/cannot tell the format/);
  });

  it('reads etcd log lines, including :info timeouts, and ignores other lines', () => {
    const text = [
      'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]',
      'WARN  something else entirely',
      'INFO  jepsen.util - 3\t:info\t:cas\t:timed-out',
    ].join('\n');
    const { ops } = parseHistory(text, 'e.log');
    expect(ops).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 3, f: 'cas', value: [1, 4] },
      { index: 1, time: 1, type: 'info', process: 3, f: 'cas', value: 'timed-out' },
    ]);
  });

  it('folds the kv key into the value', () => {
    const { ops } = parseHistory('{:process 2, :type :ok, :f :append, :key "7", :value "x 2 0 y"}', 'c.txt');
    expect(ops[0]).toMatchObject({ f: 'append', value: ['7', 'x 2 0 y'] });
    expect(() => parseHistory('{:process 2, :type :ok, :f :swap, :key "7", :value "x"}', 'c.txt', 'porcupine-kv')).toThrow(/c\.txt:1: expected :f to be :get, :put or :append/);
  });
});
