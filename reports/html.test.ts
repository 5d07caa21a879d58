import { describe, expect, it } from 'vitest';
import { reproduceCommand } from './command.js';
import { renderReport } from './html.js';
import { sampleRun } from './sample-run.js';
import { MAX_BARS } from './timeline.js';

/** Elements of the timeline svg that are op bars (one rect per op, or per outcome in a cell). */
function timelineBars(html: string): number {
  const svg = html.slice(html.indexOf('aria-label="Timeline'), html.indexOf('</svg>', html.indexOf('aria-label="Timeline')));
  return (svg.match(/<rect [^>]*class="op /g) ?? []).length;
}

describe('renderReport', () => {
  it('puts a valid verdict at the top, with parameters and the command line', () => {
    const input = sampleRun({ ops: 200 });
    const html = renderReport(input);
    expect(html).toMatch(/<div class="verdict v-valid"[^>]*><span class="big">valid<\/span>/);
    expect(html.indexOf('class="verdict')).toBeLessThan(html.indexOf('<h2>'));
    expect(html).toContain('--target raft-kv --workload register');
    expect(html).toContain('--seed 7');
    expect(html).toContain('--nemesis partition,kill --nemesis-interval 2');
    expect(html).toContain('--read-mode lease');
    expect(html).not.toMatch(/class="op \w+ hl /);
  });

  it('shows an invalid verdict and the counterexample, highlighted on the timeline', () => {
    const input = sampleRun({ ops: 400, invalid: true });
    const html = renderReport(input);
    expect(html).toMatch(/<span class="big">INVALID<\/span>/);
    const lin = input.results.checkers.linearizable!.details as { counterexample: { op: { index: number }; concurrent: { index: number }[] } };
    const cx = lin.counterexample;
    expect(html).toMatch(new RegExp(`class="op \\w+ hl hl-culprit" data-op="${cx.op.index}"`));
    for (const c of cx.concurrent) expect(html).toMatch(new RegExp(`hl-concurrent" data-op="${c.index}"`));
    expect(html).toContain('cannot be linearized');
    expect(html).toContain('Linearizable prefix (57 operations, the last 2 shown)');
    expect(html).toContain('<code>write 4 &lt;fast&gt;</code>');
    // The set checker's recovered list is bounded and says so.
    expect(html).toContain('recovered (unknown outcome, in the final read): 130 <span class="muted">(first 100 shown)</span>');
  });

  it('says why the verdict is what it is, a failed heal first, and what the run did', () => {
    const html = renderReport(sampleRun({ ops: 200, invalid: true }));
    const heal = html.indexOf('The final heal failed');
    expect(heal).toBeGreaterThan(html.indexOf('class="verdict'));
    expect(heal).toBeLessThan(html.indexOf('<h2>'));
    expect(html).toContain('heal partitions: iptables &lt;exploded&gt;');
    expect(html).toContain('<span class="what">linearizable: not linearizable: read 1 saw a stale value</span>');
    expect(html).toContain('The cluster served again 1.25 s after the final heal.');
    expect(html).toMatch(/<tr><td><code>cas<\/code><\/td><td class="num ok">40<\/td><td class="num fail">30<\/td>/);
    expect(html).toMatch(/<tr><td>kill<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num fail">1<\/td>/);
    expect(html).toContain('<td>nothing done</td><td>kill n3: &lt;no such process&gt;</td>');
  });

  it('escapes every string from the spec, the results and the history', () => {
    const input = sampleRun({ ops: 100, invalid: true });
    input.spec.bugs = ['<img src=x onerror=alert(1)>'];
    input.results.runId = '"><script>alert(2)</script>';
    input.history[5]!.value = '</title><script>alert(3)</script>';
    const html = renderReport(input);
    expect(html).not.toMatch(/<script>alert|<img src=x|<b>"odd"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;&quot;odd&quot; &amp; &#39;quoted&#39;&lt;/b&gt;');
    // The only script is the page's own.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script src|<link |@import|url\(/);
  });

  it('shades fault windows and labels them with their value', () => {
    const html = renderReport(sampleRun({ ops: 200 }));
    expect(html).toMatch(/<rect [^>]*class="fault fault-partition"><title>start-partition majorities-ring: 2\.050s – 5\.050s<\/title>/);
    expect(html).toContain('kill n1,n3');
    // In the timeline and both plots.
    expect(html.match(/class="fault fault-kill"/g)).toHaveLength(3);
  });

  it('counts ops by f and type', () => {
    const input = sampleRun({ ops: 200 });
    const html = renderReport(input);
    const reads = input.history.filter((o) => o.f === 'read' && o.type === 'invoke').length;
    expect(html).toMatch(new RegExp(`<code>read</code></td><td class="num">${reads}</td>`));
  });

  it('bounds a 100k-op history to about MAX_BARS bars, quickly, and says so', () => {
    const input = sampleRun({ ops: 100_000, processes: 50, duration: 300, invalid: true });
    const t0 = performance.now();
    const html = renderReport(input);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(2000);
    expect(timelineBars(html)).toBeLessThanOrEqual(MAX_BARS);
    expect(html).toContain('ordinary ops are shown as cells');
    expect(html).toContain('one lane per worker');
    expect(html).toContain('hl-culprit');
    expect(html.length).toBeLessThan(3_000_000);
  });
});

describe('renderReport on little data', () => {
  it('renders an empty history, no checkers and an unknown verdict', () => {
    const input = sampleRun({ ops: 10 });
    input.history = [];
    input.results.checkers = {};
    input.results.valid = 'unknown';
    const html = renderReport(input);
    expect(html).toMatch(/<span class="big">unknown<\/span>/);
    expect(html).toContain('No checker ran.');
    expect(html).toContain('The history is empty.');
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws an info op as a bar until its completion and a tail to the end', () => {
    const input = sampleRun({ ops: 10 });
    input.history = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: 1 },
      { index: 1, time: 1e9, type: 'info', process: 0, f: 'write', value: 1, error: 'timeout' },
      { index: 2, time: 10e9, type: 'invoke', process: 1, f: 'read', value: null },
      { index: 3, time: 10.5e9, type: 'ok', process: 1, f: 'read', value: 1 },
    ];
    const html = renderReport(input);
    expect(html).toMatch(/class="op info" data-op="0"><title>ops 0→1: process 0 write 1 → info 1 in 1 s \(timeout\)/);
    expect(html).toContain('class="op info tail"');
  });
});

describe('reproduceCommand', () => {
  it('quotes what the shell would split', () => {
    const { spec } = sampleRun({ ops: 10 });
    spec.bugs = ['a b'];
    spec.options = { 'read-mode': 'lease' };
    expect(reproduceCommand(spec)).toBe(
      "harness test --target raft-kv --workload register --nodes 5 --concurrency 5 --rate 1 --time-limit 10 --nemesis partition,kill --nemesis-interval 2 --seed 7 --bug 'a b' --read-mode lease",
    );
  });
});
