/**
 * store/index.html: every run in the store, newest first, each linking to its
 * report. Pure: the runner lists the store and writes what this returns.
 */
import type { TestSpec, Verdict } from '../harness/run-record.js';
import { esc } from './escape.js';
import { CSS } from './style.js';
import { verdictClass, verdictText } from './verdict.js';

export interface RunIndexEntry {
  /** The run's directory relative to the store root, e.g. 'raft-kv/20250101T120000-ab12'. */
  path: string;
  spec: TestSpec;
  /** From results.json; undefined while a run is in progress or when it died before checking. */
  valid?: Verdict;
  /** Wall-clock start (ISO), from results.json. */
  startedAt?: string;
}

/** A relative link to <path>/report.html, each segment URL-encoded. */
export function reportHref(path: string): string {
  const segments = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  return [...segments.map(encodeURIComponent), 'report.html'].join('/');
}

/** Newest first; runs without a start time (by their path, which starts with a timestamp) after those with one. */
function newestFirst(a: RunIndexEntry, b: RunIndexEntry): number {
  const ta = a.startedAt ? Date.parse(a.startedAt) : NaN;
  const tb = b.startedAt ? Date.parse(b.startedAt) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return tb - ta;
  if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return base(b.path).localeCompare(base(a.path));
}

function row(r: RunIndexEntry): string {
  const s = r.spec;
  const when = r.startedAt ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  const nemesis = s.nemesis.length > 0 ? s.nemesis.join(', ') : 'none';
  const bugs = s.bugs.length > 0 ? s.bugs.join(', ') : '';
  return (
    `<tr><td>${esc(when)}</td><td>${esc(s.target)}</td><td><span class="badge ${verdictClass(r.valid)}">${esc(verdictText(r.valid))}</span></td>` +
    `<td>${esc(s.workload)}</td><td>${esc(nemesis)}</td><td>${esc(bugs)}</td><td class="num">${esc(s.seed)}</td>` +
    `<td><a href="${esc(reportHref(r.path))}">${esc(r.path)}</a></td></tr>`
  );
}

export function renderIndex(runs: RunIndexEntry[]): string {
  const sorted = [...runs].sort(newestFirst);
  const count = (v: Verdict | undefined) => sorted.filter((r) => r.valid === v).length;
  const tally = `${sorted.length} runs: ${count(true)} valid, ${count(false)} invalid, ${count('unknown')} unknown, ${count(undefined)} incomplete`;
  const table =
    sorted.length === 0
      ? '<p>No runs yet. Start one with <code>harness test --target &lt;name&gt;</code>.</p>'
      : `<table class="runs"><tr><th>started</th><th>target</th><th>verdict</th><th>workload</th><th>nemesis</th><th>bugs</th><th>seed</th><th>report</th></tr>${sorted.map(row).join('')}</table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test runs</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Test runs</h1>
<p class="muted">${esc(tally)}</p>
${table}
</main>
</body>
</html>
`;
}
