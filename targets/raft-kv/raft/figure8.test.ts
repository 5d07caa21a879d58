/**
 * The Figure 8 scenario of the Raft paper, scripted message by message.
 * Without the bug an entry from an earlier term is never reported committed
 * by counting replicas; with `commit-old-term` it is, and a later leader
 * overwrites it.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedNet } from '../sim/scripted-net.js';
import { NO_CORE_BUGS } from './core.js';

/** Each step is attempted; a correct cluster refuses some of them (an election it must not win). */
function figure8(commitOldTerm: boolean) {
  const net = new ScriptedNet(['s1', 's2', 's3'], { ...NO_CORE_BUGS, commitOldTerm });
  const attempt = (step: () => void) => {
    try {
      step();
    } catch {
      // refused, as a correct cluster may
    }
  };
  net.elect('s1');
  net.propose('s1', 'base');
  // s1 appends e but is cut off before it spreads.
  net.connect(['s1']);
  net.propose('s1', 'e');
  const at = net.core('s1').log.lastIndex();
  // s2 leads a later term with s3 and appends f, then is cut off.
  net.connect(['s2', 's3']);
  attempt(() => net.elect('s2'));
  net.connect(['s2']);
  attempt(() => net.propose('s2', 'f'));
  // s1 comes back with s3 and wins a yet later term, replicating e.
  net.connect(['s1', 's3']);
  attempt(() => net.elect('s1'));
  // Then s2 returns with s3 while s1 is away, and writes.
  net.connect(['s2', 's3']);
  attempt(() => net.elect('s2'));
  attempt(() => net.propose('s2', 'g'));
  return { net, at };
}

/** Indexes where two nodes applied different entries. */
function divergence(net: ScriptedNet): number[] {
  const seen = new Map<number, string>();
  const bad: number[] = [];
  for (const applied of net.applied.values()) {
    for (const [i, e] of applied) {
      const k = JSON.stringify(e);
      const prev = seen.get(i);
      if (prev === undefined) seen.set(i, k);
      else if (prev !== k) bad.push(i);
    }
  }
  return bad;
}

describe('Figure 8', () => {
  it('never lets two nodes apply different entries at one index', () => {
    const { net } = figure8(false);
    expect(divergence(net)).toEqual([]);
    expect(net.applied.get('s1')?.size).toBeGreaterThan(0);
  });

  it('with commit-old-term, an applied entry is overwritten by a later leader', () => {
    const { net, at } = figure8(true);
    expect(net.applied.get('s1')?.get(at)).toMatchObject({ kind: 'cmd', data: 'e' });
    expect(net.applied.get('s2')?.get(at)).toMatchObject({ kind: 'cmd', data: 'f' });
    expect(divergence(net)).toContain(at);
  });
});
