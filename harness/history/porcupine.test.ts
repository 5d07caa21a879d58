import { describe, expect, it } from 'vitest';
import { parseHistory } from './read.js';

describe('Porcupine etcd logs', () => {
  it('accept any whitespace between fields, as Porcupine does (etcd_100 to etcd_102 use spaces)', () => {
    const tabs = ['INFO  jepsen.util - 4\t:invoke\t:cas\t[1 2]', 'INFO  jepsen.util - 4\t:fail\t:cas\t[1 2]'];
    const spaces = ['INFO  jepsen.util - 4   :invoke :cas    [1 2]', 'INFO  jepsen.util - 4   :fail   :cas    [1 2]  '];
    const mixed = ['INFO jepsen.util -  4 \t :invoke\t :cas [1 2]', 'INFO  jepsen.util - 4 :fail :cas [1 2]\r'];
    const expected = [
      { index: 0, time: 0, type: 'invoke', process: 4, f: 'cas', value: [1, 2] },
      { index: 1, time: 1, type: 'fail', process: 4, f: 'cas', value: [1, 2] },
    ];
    for (const lines of [tabs, spaces, mixed]) expect(parseHistory(lines.join('\n'), 'e.log').ops).toEqual(expected);
  });

  it('still say what they expected when no line is an op', () => {
    expect(() => parseHistory('INFO  jepsen.util - x :invoke :read nil', 'e.log', 'porcupine-etcd')).toThrow(/e\.log: expected Jepsen log lines/);
  });
});
