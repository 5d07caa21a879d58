/**
 * Lease reads on the leader's own clock: electionTicks 10 x tickMs 10 = 100 ms
 * minimum election timeout, so a correct lease lasts 20 ms after the heartbeat
 * round a majority acknowledged, and the buggy one 100 ms, trusting any clock.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedNet } from '../sim/scripted-net.js';
import { NO_CORE_BUGS } from './core.js';

function leaderWithLease(leaseNoMargin: boolean) {
  let now = 1_000_000;
  const net = new ScriptedNet(['a', 'b', 'c'], { ...NO_CORE_BUGS, leaseNoMargin }, () => now);
  net.elect('a');
  // One heartbeat round, acknowledged by everyone at the same instant.
  net.core('a').tick();
  net.settle();
  return { core: net.core('a'), setClock: (t: number) => (now = t), now: () => now };
}

describe('lease reads', () => {
  it('hold for 20 % of the election timeout after an acknowledged round, then lapse', () => {
    const { core, setClock, now } = leaderWithLease(false);
    const start = now();
    expect(core.leaseReadIndex()).toBe(core.commitIndex);
    setClock(start + 19);
    expect(core.leaseReadIndex()).not.toBeNull();
    setClock(start + 21);
    expect(core.leaseReadIndex()).toBeNull();
  });

  it('are void after the clock steps back, until a new round is acknowledged', () => {
    const { core, setClock, now } = leaderWithLease(false);
    const start = now();
    setClock(start - 5_000);
    expect(core.leaseReadIndex()).toBeNull();
    setClock(start - 4_999);
    expect(core.leaseReadIndex()).toBeNull();
  });

  it('with lease-no-margin, last the full election timeout and survive a step back', () => {
    const { core, setClock, now } = leaderWithLease(true);
    const start = now();
    setClock(start + 90);
    expect(core.leaseReadIndex()).not.toBeNull();
    setClock(start - 5_000);
    expect(core.leaseReadIndex()).not.toBeNull();
  });
});
