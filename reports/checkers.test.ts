import { describe, expect, it } from 'vitest';
import { renderChecker } from './checkers.js';

describe('the set checker in the report', () => {
  it('lists each lost add with when and by which node it was acknowledged, and the faults in effect then', () => {
    const lost = [
      { element: 10, invokeIndex: 2, completionIndex: 3, time: 2.5e9, process: 0, node: 'n1', faults: ['start-partition primaries n1'] },
      { element: 11, invokeIndex: 6, completionIndex: 7, time: 5.3e9, process: 1, node: 'n1', faults: [], after: { fault: 'start-partition primaries n1', seconds: 1.2 } },
    ];
    const recovered = [{ element: 12, invokeIndex: 8, completionIndex: 9, time: 6e9, process: 2 }];
    const html = renderChecker('set', { valid: false, summary: '2 lost', details: { lost, unexpected: [], duplicated: [], failedApplied: [], stale: [], recovered, attempted: 3, acknowledged: 2, read: 1 } });
    expect(html).toContain('lost (acknowledged, missing from the final read): 2');
    expect(html).toContain('acknowledged under no fault: 1; start-partition primaries n1: 1');
    expect(html).toContain('<tr><td><code>10</code></td><td class="num">2.500 s</td><td>n1</td><td class="num">3</td><td>start-partition primaries n1</td></tr>');
    expect(html).toContain('<td>none (1.2 s after start-partition primaries n1)</td>');
    expect(html).toContain('recovered (unknown outcome, in the final read): 1</h5><p><code>12</code>');
  });
});
