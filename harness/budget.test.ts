import { describe, expect, it } from 'vitest';
import { Budget } from './budget.js';

const MiB = 1024 * 1024;

describe('Budget', () => {
  it('measures the resident set, and stops before the next allocation would pass the limit', () => {
    let rss = 1000 * MiB;
    const b = new Budget(60_000, 3072 * MiB, () => rss);
    expect(b.exceeded()).toBeUndefined();
    // 1000 MiB resident and 1500 MiB about to be allocated: still under 3072 with the margin.
    expect(b.exceeded(0, 1500 * MiB)).toBeUndefined();
    // 2000 MiB more would pass it: stop now, not after.
    expect(b.exceeded(0, 2000 * MiB)).toMatch(/memory limit of 3072 MiB reached \(1000 MiB resident, 2000 MiB more/);
    rss = 3000 * MiB;
    expect(b.exceeded()).toMatch(/memory limit/);
  });

  it('takes what the checker says it holds as a floor', () => {
    const b = new Budget(60_000, 100 * MiB, () => 10 * MiB);
    expect(b.exceeded(200 * MiB)).toMatch(/memory limit of 100 MiB/);
  });

  it('reads the real process by default', () => {
    expect(new Budget(60_000, 1e15).exceeded()).toBeUndefined();
    expect(new Budget(60_000, 1).exceeded()).toMatch(/memory limit/);
  });
});
