/**
 * The per-run report: one self-contained HTML page (inline CSS and SVG, a few
 * lines of optional inline JS) that a reviewer opens from the store. Pure:
 * the runner writes what this returns to <runDir>/report.html.
 */
import type { History, Op } from '../harness/history/op.js';
import type { RunResults, TestSpec } from '../harness/run-record.js';
import { counterexampleHighlights, renderCheckers } from './checkers.js';
import { isLadderResult } from './replicated-checkers.js';
import { reproduceCommand } from './command.js';
import { renderCounts } from './counts.js';
import { esc } from './escape.js';
import { faultWindows, type FaultWindow } from '../harness/history/fault-windows.js';
import { fmtCount, fmtSeconds } from './format.js';
import { renderLatency, renderThroughput } from './plots.js';
import { renderReasons, renderRunStats } from './run-stats.js';
import { clientSpans, historyEnd } from './spans.js';
import { CSS } from './style.js';
import { renderTimeline } from './timeline.js';
import { verdictClass, verdictText } from './verdict.js';

export interface ReportInput {
  spec: TestSpec;
  results: RunResults;
  history: readonly Op[];
  /** Where the run lives on disk, shown for reference. */
  runDir: string;
}

/** At most this many fault windows are listed in the table (all are shaded). */
const MAX_FAULT_ROWS = 200;

function verdictBanner(results: RunResults): string {
  const v = results.valid;
  const failing = Object.entries(results.checkers).filter(([, o]) => o.valid !== true);
  const what =
    v === true
      ? `every checker passed (${Object.keys(results.checkers).join(', ') || 'none ran'}), and the run did what it was asked`
      : (results.reason ?? failing.map(([n, o]) => `${n}: ${verdictText(o.valid)}`).join(' · ')) || 'no checker result';
  // A leaderless store's run says which consistency level held, up front.
  const ladder = Object.values(results.checkers).map((o) => o.details).find(isLadderResult);
  const level = ladder ? `<span class="what">${esc(ladder.line)}</span>` : '';
  return `<div class="verdict ${verdictClass(v)}" role="status"><span class="big">${esc(verdictText(v))}</span><span class="what">${esc(what)}</span>${level}</div>`;
}

function parameters(spec: TestSpec, results: RunResults, runDir: string): string {
  const opts = Object.entries(spec.options).map(([k, v]) => `${k}=${v}`);
  const rows: [string, string][] = [
    ['target', spec.target],
    ['workload', spec.workload],
    ['nemesis', spec.nemesis.length > 0 ? `${spec.nemesis.join(', ')} every ${spec.nemesisInterval} s` : 'none'],
    ['nodes', String(spec.nodes)],
    ['concurrency', String(spec.concurrency)],
    ['rate', `${spec.rate} ops/s`],
    ['time limit', `${spec.timeLimit} s`],
    ['seed', String(spec.seed)],
    ['bugs', spec.bugs.length > 0 ? spec.bugs.join(', ') : 'none'],
    ['options', opts.length > 0 ? opts.join(', ') : 'none'],
    ['provisioner', spec.provisioner],
    ['run', `${results.runId}, ${results.startedAt} – ${results.endedAt}`],
    ['directory', runDir],
  ];
  const dl = `<dl class="params">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  return `${dl}<h5>Reproduce</h5><pre class="cmd">${esc(reproduceCommand(spec))}</pre>`;
}

function notesBlock(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `<div class="notes"><strong>Notes</strong><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`;
}

/** Colour key: outcomes, fault kinds, and on the timeline what an info tail and a highlight mean. */
function legend(windows: readonly FaultWindow[], timeline: { highlights: boolean } | undefined): string {
  const item = (label: string, c: string, b = '') => `<span style="--c:${c};${b ? `--b:${b}` : ''}">${esc(label)}</span>`;
  const kinds = [...new Set(windows.map((w) => w.kind))];
  const faultColours: Record<string, string> = { partition: '#5b6bd6', kill: '#c9452f', pause: '#9b59b6', clock: '#1f9bb0', packet: '#a0782c' };
  return (
    '<div class="legend">' +
    item('ok', 'var(--ok)') +
    item('fail', 'var(--fail)') +
    item(timeline ? 'info (unknown: bar while waiting, thin tail to the end)' : 'info', 'var(--info)') +
    (timeline?.highlights ? item('cannot be linearized', '#d6008f') + item('concurrent with it', 'transparent', '2.5px solid #ff7a00') : '') +
    kinds.map((k) => item(`${k} fault`, `color-mix(in srgb, ${faultColours[k] ?? '#8c96a0'} 25%, white)`)).join('') +
    '</div>'
  );
}

function faultTable(windows: readonly FaultWindow[]): string {
  if (windows.length === 0) return '<p class="muted">No faults were injected.</p>';
  const rows = windows
    .slice(0, MAX_FAULT_ROWS)
    .map(
      (w) =>
        `<tr><td>${esc(w.kind)}</td><td><code>${esc(w.label)}</code></td><td class="num">${esc(fmtSeconds(w.start))}</td>` +
        `<td class="num">${w.open ? 'never stopped' : esc(fmtSeconds(w.end))}</td><td class="num">${esc(fmtSeconds(w.end - w.start))}</td></tr>`,
    )
    .join('');
  const more = windows.length > MAX_FAULT_ROWS ? `<p class="muted">${windows.length - MAX_FAULT_ROWS} more fault windows not listed.</p>` : '';
  return `<details><summary>${windows.length} fault windows</summary><table><tr><th>kind</th><th>fault</th><th>from</th><th>to</th><th>for</th></tr>${rows}</table>${more}</details>`;
}

function plotNotes(notes: readonly string[]): string {
  return notes.map((n) => `<p class="plot-notes">${esc(n)}</p>`).join('');
}

/** Clicking a bar shows its details under the timeline (hover titles work without this). */
const SCRIPT = `
document.addEventListener('click', function (e) {
  var t = e.target; var out = document.getElementById('op-detail');
  if (!out || !t || !t.getAttribute || !t.getAttribute('data-op')) return;
  var prev = document.querySelector('.op.selected'); if (prev) prev.classList.remove('selected');
  t.classList.add('selected');
  var title = t.querySelector('title'); out.textContent = title ? title.textContent : '';
});`;

export function renderReport(input: ReportInput): string {
  const { spec, results, runDir } = input;
  const history: History = input.history;
  const end = historyEnd(history);
  const spans = clientSpans(history, end);
  const windows = faultWindows(history, end);
  const highlights = counterexampleHighlights(results);
  const timeline = renderTimeline({ spans, windows, highlights, end, workers: spec.concurrency });
  const latency = renderLatency(spans, windows, end);
  const throughput = renderThroughput(spans, windows, end);
  const title = `${verdictText(results.valid)} · ${spec.target} ${spec.workload}${spec.nemesis.length ? ` + ${spec.nemesis.join(',')}` : ''} · ${results.runId}`;

  const body = [
    `<h1>${esc(spec.target)} · ${esc(spec.workload)} <span class="muted">run ${esc(results.runId)}</span></h1>`,
    verdictBanner(results),
    renderReasons(results),
    parameters(spec, results, runDir),
    notesBlock(results.notes),
    '<h2>Checkers</h2>',
    renderCheckers(results),
    '<h2>What the run did</h2>',
    renderRunStats(results),
    `<h2>Timeline</h2><p class="muted">${fmtCount(spans.length)} client operations by ${fmtCount(new Set(spans.map((s) => s.process)).size)} processes over ${esc(fmtSeconds(end))}; hover a bar for the op, click it to pin it below.</p>`,
    legend(windows, { highlights: highlights.size > 0 }),
    plotNotes(timeline.notes),
    timeline.svg,
    '<div id="op-detail"></div>',
    faultTable(windows),
    '<h2>Latency</h2>',
    legend(windows, undefined),
    plotNotes(latency.notes),
    latency.svg,
    '<h2>Throughput</h2>',
    legend(windows, undefined),
    throughput.svg,
    '<h2>Operations by f and type</h2>',
    renderCounts(history),
  ].join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
