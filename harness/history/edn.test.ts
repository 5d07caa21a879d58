import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { readEdnForms, writeEdn, Keyword } from './edn.js';
import { historyToEdn, parseEdnHistory } from './edn-history.js';

describe('EDN reader', () => {
  it('reads the value kinds Jepsen histories use', () => {
    const [v] = readEdnForms(
      '{:a nil, :b true :c -12 :d 1.5 :e "s\\"q\\n" :f [1 (2 3) #{4}] :g :ns/kw :h sym :ch \\x :i 3/4 :j #inst "2020" #_ :skipped :k 7N}',
      'f.edn',
    );
    expect(v).toEqual({ a: null, b: true, c: -12, d: 1.5, e: 's"q\n', f: [1, [2, 3], [4]], g: "ns/kw", h: "sym", ch: "x", i: 0.75, j: '2020', k: 7 });
  });

  it('skips comments and commas, and reads tagged records as their map', () => {
    const forms = readEdnForms('; a comment\n#jepsen.history.Op{:type :ok, :f :read}, ,\n[1,2]', 'f.edn');
    expect(forms).toEqual([{ type: 'ok', f: 'read' }, [1, 2]]);
  });

  it('names the file and line of a malformed form', () => {
    expect(() => readEdnForms('[{:a 1}\n {:b 2\n', 'h.edn')).toThrow(/h\.edn:2: unterminated map/);
    expect(() => readEdnForms('{:a}', 'h.edn')).toThrow(InputError);
    expect(() => readEdnForms('[1 2}', 'h.edn')).toThrow(/h\.edn:1: unexpected '}'/);
    expect(() => readEdnForms('"abc', 'h.edn')).toThrow(/unterminated string/);
  });

  it('writes EDN that reads back', () => {
    const v = { type: new Keyword('ok'), value: [1, 'two', null, { nested: [true] }] };
    expect(readEdnForms(writeEdn(v), 'x')).toEqual([{ type: 'ok', value: [1, 'two', null, { nested: [true] }] }]);
  });
});

describe('EDN histories', () => {
  it('reads one vector of multi-line maps and one map per line alike', () => {
    const a = parseEdnHistory('[{:type :invoke,\n :f :read,\n :process 0}\n{:type :ok :f :read :process 0 :value 3}]', 'a.edn');
    const b = parseEdnHistory('{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value 3}\n', 'b.edn');
    expect(a).toEqual(b);
    expect(a[1]).toMatchObject({ index: 1, type: 'ok', f: 'read', process: 0, value: 3 });
  });

  it('keeps the nemesis process and txn micro-ops, and writes them back', () => {
    const ops = parseEdnHistory(
      '{:type :info, :f :start-partition, :process :nemesis, :value [:n1 :n2]}\n{:type :invoke, :f :txn, :process 1, :value [[:append :x 1] [:r :y nil]], :time 5}',
      'h.edn',
    );
    expect(ops[0]!.process).toBe('nemesis');
    expect(ops[1]!.value).toEqual([['append', 'x', 1], ['r', 'y', null]]);
    const text = historyToEdn(ops);
    expect(text).toContain(':process :nemesis');
    expect(text).toContain('[[:append "x" 1] [:r "y" nil]]');
    expect(parseEdnHistory(text, 'again.edn')).toEqual(ops);
  });

  it('rejects an op without a valid :type or :process, naming the line', () => {
    expect(() => parseEdnHistory('{:type :ok :f :read :process 0}\n{:type :done :f :read :process 0}', 'h.edn')).toThrow(
      /h\.edn:2: expected :type to be one of invoke, ok, fail, info; found "done"/,
    );
    expect(() => parseEdnHistory('[{:type :ok :f :read :process "p"}]', 'h.edn')).toThrow(/h\.edn:1: expected :process/);
    expect(() => parseEdnHistory('; nothing\n', 'h.edn')).toThrow(/expected at least one operation/);
  });
});
