import { describe, expect, it } from 'vitest';
import { renderIndex, reportHref, type RunIndexEntry } from './index-page.js';
import { sampleRun } from './sample-run.js';

const spec = sampleRun({ ops: 10 }).spec;
const entry = (path: string, startedAt: string | undefined, valid: RunIndexEntry['valid'], target = 'raft-kv'): RunIndexEntry => ({
  path,
  spec: { ...spec, target },
  valid,
  startedAt,
});

describe('renderIndex', () => {
  it('lists runs newest first, with verdicts and relative links', () => {
    const html = renderIndex([
      entry('raft-kv/20250101T000000-a', '2025-01-01T00:00:00.000Z', true),
      entry('dynamo/20250103T000000-c', '2025-01-03T00:00:00.000Z', false, 'dynamo'),
      entry('raft-kv/20250102T000000-b', '2025-01-02T00:00:00.000Z', 'unknown'),
      entry('chain/20250104T000000-d', undefined, undefined, 'chain'),
    ]);
    const order = ['20250103T000000-c', '20250102T000000-b', '20250101T000000-a', '20250104T000000-d'].map((p) => html.indexOf(`${p}/report.html`));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<a href="dynamo/20250103T000000-c/report.html">');
    expect(html).toContain('>INVALID<');
    expect(html).toContain('>incomplete<');
    expect(html).toContain('4 runs: 1 valid, 1 invalid, 1 unknown, 1 incomplete');
  });

  it('escapes and URL-encodes what comes from the store', () => {
    const html = renderIndex([entry('x/<b>&"', '2025-01-01T00:00:00Z', true, '<i>t</i>')]);
    expect(html).not.toContain('<i>t</i>');
    expect(html).toContain('&lt;i&gt;t&lt;/i&gt;');
    expect(reportHref('x/<b>&"')).toBe('x/%3Cb%3E%26%22/report.html');
  });

  it('says when there are no runs', () => {
    expect(renderIndex([])).toContain('No runs yet');
  });
});
