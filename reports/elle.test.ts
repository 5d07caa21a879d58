import { describe, expect, it } from 'vitest';
import { TxnHistory } from '../bench/txn-histories.js';
import { checkListAppend } from '../checkers/elle/list-append.js';
import { renderChecker } from './checkers.js';
import { cycleSvg, isElleResult, renderElle } from './elle.js';

function g1c() {
  return checkListAppend(new TxnHistory().txn(0, 'ax1 ry1').txn(1, 'ax2 ay1').txn(2, 'rx12').ops);
}

describe('Elle results in the report', () => {
  it('draws a cycle: one node per transaction, one labelled arrow per step', () => {
    const a = g1c().anomalies[0]!;
    if (!('steps' in a)) throw new Error('expected a cycle');
    const svg = cycleSvg(a, 'x');
    expect((svg.match(/<circle /g) ?? []).length).toBe(2);
    expect((svg.match(/class="cyc-arrow /g) ?? []).length).toBe(2);
    expect(svg).toContain('marker-end="url(#x-ww)"');
    expect(svg).toMatch(/>wr y<\/text>/);
    expect(svg).toMatch(/>ww x<\/text>/);
    expect(svg).toContain('aria-label="G1c cycle: T1 ww T2, T2 wr T1"');
  });

  it('renders the boundary, the explanation and the transactions, escaped', () => {
    const r = g1c();
    expect(isElleResult(r)).toBe(true);
    const html = renderElle(r);
    expect(html).toContain('<dt>not</dt><dd>read-committed</dd>');
    expect(html).toContain('<h4>G1c: 1</h4>');
    expect(html).toContain('T1 &lt; T2, because T2 appended 2 to x right after T1&#39;s append of 1.');
    expect(html).toMatch(/<td class="num">0 → 1<\/td>/);
    const outcome = renderChecker('elle', { valid: r.valid, summary: r.summary, details: r });
    expect(outcome).toContain('class="badge v-invalid"');
    expect(outcome).toContain('<svg viewBox');
  });

  it('a valid result is just its facts', () => {
    const r = checkListAppend(new TxnHistory().txn(0, 'ax1').txn(1, 'rx1').ops);
    expect(renderElle(r)).not.toContain('<svg');
  });
});
