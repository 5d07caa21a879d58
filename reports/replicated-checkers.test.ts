import { describe, expect, it } from 'vitest';
import { climbLadder } from '../checkers/consistency-ladder.js';
import { checkConvergence } from '../checkers/convergence.js';
import { KeyedHistoryBuilder } from '../checkers/keyed-fixtures.js';
import { checkQuorum } from '../checkers/quorum.js';
import { checkSessions } from '../checkers/session.js';
import { renderChecker } from './checkers.js';
import { renderReport } from './html.js';
import { sampleRun } from './sample-run.js';

const stale = new KeyedHistoryBuilder()
  .write(1, 'x', 1)
  .write(1, 'x', 2)
  .read(1, 'x', [1])
  .nemesis('heal-all')
  .converge(9, [{ key: 'x', replicas: { n1: [2], n2: [1] } }], false).ops;

describe('rendering the leaderless-store checkers', () => {
  it('lists each stale read with the write it missed and how far behind it was', () => {
    const html = renderChecker('quorum', { valid: false, summary: 's', details: checkQuorum(stale) });
    expect(html).toContain('<th>the earliest write it missed</th>');
    expect(html).toContain('<code>read [1]</code>');
    expect(html).toContain('<code>write 2</code>');
    expect(html).toMatch(/<td class="num">1<\/td><td class="num">1<\/td><\/tr>/);
  });

  it('lists session violations with both operations', () => {
    const html = renderChecker('session', { valid: false, summary: 's', details: checkSessions(stale) });
    expect(html).toContain('<td>read-your-writes</td>');
    expect(html).toContain('<code>write 2 by process 1</code>');
    expect(html).toContain('<code>read [1] by process 1</code>');
  });

  it('shows the replicas of a key that never converged', () => {
    const html = renderChecker('convergence', { valid: false, summary: 's', details: checkConvergence(stale) });
    expect(html).toContain('Keys whose replicas differ');
    expect(html).toContain('n1: <code>[2]</code><br>n2: <code>[1]</code>');
  });

  it('shows the ladder level by level, and a level found broken but not promised as such', () => {
    const ladder = climbLadder({ checks: { strong: { verdict: false, violations: '1 stale reads' }, eventual: { verdict: true } }, promised: 'eventual', promisedBecause: 'W + R <= N' });
    const html = renderChecker('consistency', { valid: true, summary: ladder.line, details: ladder });
    expect(html).toContain('<p class="explanation">behaved as eventually consistent, not strongly consistent: 1 stale reads');
    expect(html).toContain('<td class="fail">broken: 1 stale reads</td><td><span class="muted">not promised</span></td>');
    const reported = renderChecker('quorum', { valid: true, summary: 'not promised', details: { ...checkQuorum(stale), notPromised: true } });
    expect(reported).toContain('<span class="badge v-reported">found, not promised</span>');
    // The verdict banner says which level held.
    const run = sampleRun({ ops: 50 });
    run.results.checkers.consistency = { valid: true, summary: ladder.line, details: ladder };
    expect(renderReport(run)).toMatch(/<div class="verdict v-valid"[^>]*>.*<span class="what">behaved as eventually consistent, not strongly consistent: 1 stale reads/);
  });
});
