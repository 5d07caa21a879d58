import { describe, expect, it } from 'vitest';
import { ClockOffsetGuard } from './clock-guard.js';
import type { Logger } from './log.js';

function recordingLogger() {
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
  return { log, lines };
}

describe('ClockOffsetGuard', () => {
  it('admits frames within the bound either way and refuses those beyond it', () => {
    let now = 1_000_000;
    const { log } = recordingLogger();
    const g = new ClockOffsetGuard(500, () => now, log);
    expect(g.admit('n2', now - 500)).toBe(true);
    expect(g.admit('n2', now + 500)).toBe(true);
    expect(g.admit('n2', now - 501)).toBe(false);
    expect(g.admit('n3', now + 10_000)).toBe(false);
    now += 10_000;
    expect(g.admit('n3', now)).toBe(true);
  });

  it('logs when a peer strays and when it comes back, not on every frame', () => {
    const now = 0;
    const { log, lines } = recordingLogger();
    const g = new ClockOffsetGuard(500, () => now, log);
    for (let i = 0; i < 5; i++) g.admit('n2', -3000);
    for (let i = 0; i < 5; i++) g.admit('n2', 20);
    expect(lines).toEqual(['warn peer clock too far off, ignoring its messages', 'info peer clock back within bound']);
  });

  it('admits everything when switched off', () => {
    const { log, lines } = recordingLogger();
    const g = new ClockOffsetGuard(0, () => 0, log);
    expect(g.admit('n2', 1e12)).toBe(true);
    expect(lines).toEqual([]);
  });
});
