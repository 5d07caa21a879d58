import { describe, expect, it } from 'vitest';
import { climbLadder } from './consistency-ladder.js';

describe('consistency ladder', () => {
  it('names the highest level that held and the first one broken', () => {
    const r = climbLadder({
      checks: { strong: { verdict: false, violations: '35 stale reads' }, session: { verdict: false, violations: '12 read-your-writes violations' }, eventual: { verdict: true } },
      promised: 'eventual',
      promisedBecause: 'W + R <= N',
    });
    expect(r.highest).toBe('eventual');
    expect(r.valid).toBe(true);
    expect(r.line).toBe('behaved as eventually consistent, not session consistent: 12 read-your-writes violations; not strongly consistent either: 35 stale reads. Promised: eventually consistent (W + R <= N)');
  });

  it('fails when a promised level broke', () => {
    const r = climbLadder({ checks: { strong: { verdict: false, violations: '3 stale reads' }, eventual: { verdict: true } }, promised: 'strong', promisedBecause: 'N=3 W=2 R=2, strict quorums' });
    expect(r.valid).toBe(false);
    expect(r.broken).toEqual(['strong']);
    expect(r.line).toBe('behaved as eventually consistent, not strongly consistent: 3 stale reads; session consistent not checked by this workload. Promised strongly consistent (N=3 W=2 R=2, strict quorums): broken');
  });

  it('is weak when convergence broke, and steps over levels not checked', () => {
    const weak = climbLadder({ checks: { eventual: { verdict: false, violations: '40 acknowledged adds lost' } }, promised: 'eventual', promisedBecause: 'any configuration' });
    expect(weak).toMatchObject({ highest: 'weak', valid: false });
    const strong = climbLadder({ checks: { strong: { verdict: true }, eventual: { verdict: true } }, promised: 'strong', promisedBecause: 'x' });
    expect(strong).toMatchObject({ highest: 'strong', valid: true });
    expect(climbLadder({ checks: {}, promised: 'eventual', promisedBecause: 'x' }).valid).toBe('unknown');
  });
});
