import { describe, expect, it } from 'vitest';
import { agreedMaster, fields, rankPrimaries, soleMaster, type Role, type SentinelView } from './probe.js';

const view = (node: string, master: string, otherSentinels = 4, replicas = 4): SentinelView => ({ node, master, otherSentinels, replicas });

describe('deciding from what the Sentinels say', () => {
  it('agrees on the master a quorum names, counting only Sentinels that know every other Sentinel and every replica', () => {
    const all = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => view(n, 'n1'));
    expect(agreedMaster(all, 5)).toBe('n1');
    expect(agreedMaster(all.slice(0, 3), 5)).toBe('n1');
    expect(agreedMaster(all.slice(0, 2), 5)).toBeUndefined();
    // A Sentinel left behind by an overlapping failover does not block the quorum.
    expect(agreedMaster([...all.slice(0, 4), view('n5', 'n4')], 5)).toBe('n1');
    expect(agreedMaster([...all.slice(0, 3), view('n4', 'n4'), view('n5', 'n4')], 5)).toBe('n1');
    expect(agreedMaster([...all.slice(0, 2), view('n4', 'n4'), view('n5', 'n4')], 5)).toBeUndefined();
    expect(agreedMaster([...all.slice(0, 2), view('n3', 'n1', 3), view('n4', 'n1', 4, 1)], 5)).toBeUndefined();
    expect(agreedMaster([], 5)).toBeUndefined();
  });

  it('ranks the masters they name, the most named first', () => {
    expect(rankPrimaries([view('n1', 'n1'), view('n2', 'n1'), view('n3', 'n4'), view('n4', 'n4'), view('n5', 'n4')])).toEqual(['n4', 'n1']);
    expect(rankPrimaries([])).toEqual([]);
  });

  it('wants the named master to be the only server acting as one', () => {
    const roles = (entries: [string, Role][]) => new Map(entries);
    expect(soleMaster(roles([['n1', 'master'], ['n2', 'slave'], ['n3', 'slave']]), 'n1')).toBe(true);
    expect(soleMaster(roles([['n1', 'master'], ['n2', 'master']]), 'n1')).toBe(false);
    expect(soleMaster(roles([['n1', 'slave'], ['n2', 'master']]), 'n1')).toBe(false);
    expect(soleMaster(roles([['n2', 'slave']]), 'n1')).toBe(false);
  });

  it('reads a flat field/value reply', () => {
    expect(fields(['name', 'harness', 'ip', '10.0.0.1', 'num-other-sentinels', '4'])).toEqual({ name: 'harness', ip: '10.0.0.1', 'num-other-sentinels': '4' });
    expect(fields(null)).toEqual({});
  });
});
