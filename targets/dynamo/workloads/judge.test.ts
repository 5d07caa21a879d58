import { describe, expect, it } from 'vitest';
import { KeyedHistoryBuilder } from '../../../checkers/keyed-fixtures.js';
import { settingsOf } from '../settings.js';
import { judge } from './judge.js';

const run = (options: Record<string, string>) => settingsOf({ bugs: [], options });
/** A session that misses its own write; the replicas agree in the end. */
const stale = new KeyedHistoryBuilder()
  .write(1, 'x', 1)
  .write(1, 'x', 2)
  .read(1, 'x', [1])
  .nemesis('heal-all')
  .converge(9, [{ key: 'x', replicas: { n1: [2], n2: [2], n3: [2] } }]).ops;

describe('judging a run by what its configuration promises', () => {
  it('fails stale reads when W + R > N with strict quorums promises strong reads', () => {
    const out = judge(stale, run({}), { quorum: true, session: true });
    expect(out.quorum?.valid).toBe(false);
    expect(out.session?.valid).toBe(false);
    expect(out.consistency).toMatchObject({ valid: false });
    expect(out.consistency?.summary).toMatch(/^behaved as eventually consistent, not session consistent: 1 read-your-writes violations; not strongly consistent either: 1 stale reads\. Promised strongly consistent/);
  });

  it('reports them without failing when W + R <= N or quorums are sloppy', () => {
    for (const options of [{ w: '1', r: '1' }, { sloppy: 'true' }] as Record<string, string>[]) {
      const out = judge(stale, run(options), { quorum: true, session: true });
      expect(out.quorum).toMatchObject({ valid: true, details: { notPromised: true } });
      expect(out.quorum?.summary).toMatch(/^not promised \(N=3 .*\), found: 1 stale reads/);
      expect(out.consistency?.valid).toBe(true);
      expect(out.convergence?.valid).toBe(true);
    }
  });

  it('fails what --expect asks for', () => {
    expect(judge(stale, run({ w: '1', r: '1', expect: 'session' }), { quorum: true, session: true }).session?.valid).toBe(false);
    expect(judge(stale, run({ expect: 'eventual' }), { quorum: true, session: true }).quorum?.valid).toBe(true);
  });

  it('refuses W or R above N with one clear message', () => {
    expect(() => run({ n: '3', w: '5' })).toThrow('--w 5 is more than --n 3: a write cannot wait for more replicas than a key has');
    expect(() => run({ r: '4' })).toThrow('--r 4 is more than --n 3');
  });
});
