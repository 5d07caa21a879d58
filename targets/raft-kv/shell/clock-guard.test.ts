import { describe, expect, it } from 'vitest';
import { ClockOffsetGuard, offsetBounds } from './clock-guard.js';
import type { Logger } from './log.js';

function recordingLogger() {
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
  return { log, lines };
}

describe('ClockOffsetGuard', () => {
  it('before any echo, refuses only a peer provably ahead by more than the bound', () => {
    let now = 1_000_000;
    const { log } = recordingLogger();
    const g = new ClockOffsetGuard(500, () => now, log);
    expect(g.admit('n2', { at: now + 500 })).toBe(true);
    expect(g.admit('n3', { at: now + 10_000 })).toBe(false);
    // A frame that looks 3 s old may have spent 3 s in transit.
    expect(g.admit('n4', { at: now - 3_000 })).toBe(true);
    now += 10_000;
    expect(g.admit('n3', { at: now })).toBe(true);
  });

  it('logs when a peer strays and when it comes back, not on every frame', () => {
    const now = 0;
    const { log, lines } = recordingLogger();
    const g = new ClockOffsetGuard(500, () => now, log);
    for (let i = 0; i < 5; i++) g.admit('n2', { at: 3000 });
    for (let i = 0; i < 5; i++) g.admit('n2', { at: 20 });
    expect(lines).toEqual(['warn peer clock too far off, ignoring its messages', 'info peer clock back within bound']);
  });

  it('admits everything when switched off', () => {
    const { log, lines } = recordingLogger();
    const g = new ClockOffsetGuard(0, () => 0, log);
    expect(g.admit('n2', { at: 1e12 })).toBe(true);
    expect(lines).toEqual([]);
  });
});

describe('offsetBounds (NTP from an echoed stamp)', () => {
  // We stamp at 0 on our clock; the peer receives our frame, holds it 10 ms and answers with an echo.
  it('reads a slow network as a slow network, not as a stray clock', () => {
    // 800 ms each way, same clocks: the peer receives at 800 and answers at 810; we hear it at 1610.
    expect(offsetBounds({ at: 810, echo: { at: 0, heldMs: 10 } }, 1610)).toEqual({ lowMs: -800, highMs: 800 });
    // Only the peer's departures are delayed, by 800 ms: lopsided, and 0 is still among the offsets it allows.
    const lopsided = offsetBounds({ at: 11, echo: { at: 0, heldMs: 10 } }, 811);
    expect(lopsided.lowMs).toBeLessThanOrEqual(0);
    expect(lopsided.highMs).toBeGreaterThanOrEqual(0);
  });

  it('pins a clock set back by 3 s to within a millisecond', () => {
    // The peer's clock reads 3000 ms less than ours; 1 ms each way.
    expect(offsetBounds({ at: -2989, echo: { at: 0, heldMs: 10 } }, 12)).toEqual({ lowMs: -3001, highMs: -2999 });
  });

  it('ignores an echo that spans a step back of our own clock', () => {
    // We stamped at 10_000, then our clock was set back 3 s; the peer (on real time) answers at once.
    expect(offsetBounds({ at: 10_001, echo: { at: 10_000, heldMs: 0 } }, 7_002)).toEqual({ lowMs: 2_999, highMs: Infinity });
  });

  it('without an echo, proves only a lower bound', () => {
    expect(offsetBounds({ at: 400 }, 1000)).toEqual({ lowMs: -600, highMs: Infinity });
  });
});

describe('ClockOffsetGuard with echoes', () => {
  it('echoes the last stamp heard from a peer, with how long it was held', () => {
    let now = 5_000;
    const g = new ClockOffsetGuard(500, () => now, recordingLogger().log);
    expect(g.stamp('n2')).toEqual({ at: 5_000 });
    g.admit('n2', { at: 4_990 });
    now += 30;
    expect(g.stamp('n2')).toEqual({ at: 5_030, echo: { at: 4_990, heldMs: 30 } });
  });

  it('keeps listening to a peer behind a 900 ms delay, and stops for a peer whose clock is 3 s off', () => {
    // Two guards with their own clocks, exchanging frames: ours at `now`, the peer's at `now + peerOffset`.
    let now = 0;
    let peerOffset = 0;
    const ours = new ClockOffsetGuard(500, () => now, recordingLogger().log);
    const theirs = new ClockOffsetGuard(500, () => now + peerOffset, recordingLogger().log);
    const exchange = (delayMs: number) => {
      const out = ours.stamp('peer');
      now += delayMs;
      theirs.admit('us', out);
      now += 5;
      const back = theirs.stamp('us');
      now += delayMs;
      return ours.admit('peer', back);
    };
    expect([exchange(900), exchange(900), exchange(900)]).toEqual([true, true, true]);
    peerOffset = -3000;
    exchange(1);
    expect(exchange(1)).toBe(false);
    peerOffset = 0;
    exchange(1);
    expect(exchange(1)).toBe(true);
  });
});
