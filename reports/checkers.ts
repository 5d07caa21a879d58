/**
 * Each checker's outcome as HTML: its verdict, summary line and evidence.
 * The linearizability counterexample, the set checker's lists and the
 * Elle-like checkers' anomalies (reports/elle.ts) get their own rendering;
 * any other checker's details are shown as JSON.
 */
import type { Counterexample, LinearizabilityResult, OpRef } from '../checkers/linearizable/index.js';
import { lostByFault, type SetAdd, type SetResult } from '../checkers/set.js';
import type { CheckerOutcome, RunResults } from '../harness/run-record.js';
import { isElleResult, renderElle } from './elle.js';
import { esc, prettyJson, show } from './escape.js';
import { fmtCount, fmtSeconds } from './format.js';
import type { Highlight } from './timeline.js';
import { foundNotPromised, renderReplicated } from './replicated-checkers.js';
import { verdictClass, verdictText } from './verdict.js';

/** How many items of a set checker's lists are shown. */
export const MAX_LISTED = 100;

/** The set checker's result, as the report reads it. */
export type SetDetails = Pick<SetResult, 'lost' | 'unexpected' | 'duplicated' | 'failedApplied' | 'stale' | 'recovered' | 'attempted' | 'acknowledged' | 'read'>;

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

export function isLinearizabilityResult(x: unknown): x is LinearizabilityResult {
  return isObject(x) && typeof x.model === 'string' && typeof x.calls === 'number' && typeof x.configurations === 'number';
}

export function isSetDetails(x: unknown): x is SetDetails {
  return isObject(x) && Array.isArray(x.lost) && Array.isArray(x.unexpected) && Array.isArray(x.recovered) && Array.isArray(x.duplicated) && Array.isArray(x.stale);
}

/** Ops of every linearizability counterexample, by invocation index: the culprit and its concurrent ops. */
export function counterexampleHighlights(results: RunResults): Map<number, Highlight> {
  const hl = new Map<number, Highlight>();
  for (const outcome of Object.values(results.checkers)) {
    const cx = isLinearizabilityResult(outcome.details) ? outcome.details.counterexample : undefined;
    if (!cx) continue;
    for (const c of cx.concurrent) if (!hl.has(c.index)) hl.set(c.index, 'concurrent');
    hl.set(cx.op.index, 'culprit');
  }
  return hl;
}

function opIndex(r: OpRef): string {
  return r.completionIndex === undefined ? `${r.index}` : `${r.index} → ${r.completionIndex}`;
}

function opTable(rows: readonly OpRef[], stateAfter?: readonly string[]): string {
  const head = `<tr><th>op</th><th>process</th><th>outcome</th><th>description</th>${stateAfter ? '<th>state after</th>' : ''}</tr>`;
  const body = rows
    .map(
      (r, i) =>
        `<tr><td class="num">${esc(opIndex(r))}</td><td class="num">${esc(r.process)}</td><td class="${esc(r.outcome)}">${esc(r.outcome)}</td>` +
        `<td><code>${esc(r.description)}</code></td>${stateAfter ? `<td><code>${esc(stateAfter[i] ?? '')}</code></td>` : ''}</tr>`,
    )
    .join('');
  return `<table class="ops">${head}${body}</table>`;
}

function renderCounterexample(cx: Counterexample): string {
  const parts: string[] = ['<div class="counterexample">'];
  parts.push('<h4>Counterexample</h4>');
  if (cx.key !== undefined) parts.push(`<p>Key <code>${esc(show(cx.key))}</code></p>`);
  parts.push(`<p class="explanation">${esc(cx.explanation)}</p>`);
  parts.push('<h5>The operation that cannot be linearized</h5>', `<div class="culprit-op">${opTable([cx.op])}</div>`);
  parts.push(`<h5>States the model could be in just before it (${cx.statesBefore.length})</h5>`);
  parts.push(`<ul class="states">${cx.statesBefore.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`);
  const shownC = cx.concurrent.length < cx.concurrentCount ? `, ${cx.concurrent.length} shown` : '';
  parts.push(`<h5>Concurrent operations (${cx.concurrentCount}${shownC})</h5>`);
  parts.push(cx.concurrent.length > 0 ? opTable(cx.concurrent) : '<p>None.</p>');
  const shownP = cx.prefix.length < cx.prefixLength ? `, the last ${cx.prefix.length} shown` : '';
  parts.push(`<h5>Linearizable prefix (${cx.prefixLength} operations${shownP})</h5>`);
  parts.push(
    cx.prefix.length > 0
      ? opTable(
          cx.prefix,
          cx.prefix.map((p) => p.stateAfter),
        )
      : '<p>Empty: no operation before it can be linearized.</p>',
  );
  parts.push('<p class="hint">The operation is magenta on the timeline below (with a dashed line where it began), its concurrent operations outlined in orange.</p>');
  parts.push('</div>');
  return parts.join('');
}

function renderLinearizable(r: LinearizabilityResult): string {
  const facts: [string, string][] = [
    ['model', r.model],
    ['operations', fmtCount(r.calls)],
    ['configurations explored', fmtCount(r.configurations)],
    ['failed ops dropped', fmtCount(r.droppedFailed)],
    ['unknown reads dropped', fmtCount(r.droppedReadOnly)],
  ];
  if (r.keys !== undefined) facts.splice(2, 0, ['keys', fmtCount(r.keys)]);
  if (r.unknownReason !== undefined) facts.push(['gave up because', r.unknownReason]);
  if (r.unknownKey !== undefined) facts.push(['on key', show(r.unknownKey)]);
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  return dl + (r.counterexample ? renderCounterexample(r.counterexample) : '');
}

function valueList(name: string, xs: readonly unknown[], cls: string): string {
  const shown = xs.slice(0, MAX_LISTED);
  const more = xs.length > shown.length ? ` <span class="muted">(first ${shown.length} shown)</span>` : '';
  const items = shown.map((x) => `<code>${esc(show(x, 80))}</code>`).join(' ');
  return `<div class="value-list ${esc(cls)}"><h5>${esc(name)}: ${fmtCount(xs.length)}${more}</h5>${xs.length > 0 ? `<p>${items}</p>` : ''}</div>`;
}

/** Lost adds as evidence: each with when and by which node it was acknowledged, and the faults in effect then. */
function lostTable(lost: readonly SetAdd[]): string {
  const shown = lost.slice(0, MAX_LISTED);
  const more = lost.length > shown.length ? ` <span class="muted">(first ${shown.length} shown)</span>` : '';
  const groups = lostByFault(lost)
    .map((g) => `${esc(g.faults)}: ${fmtCount(g.count)}`)
    .join('; ');
  const faults = (a: SetAdd) => (a.faults?.length ? a.faults.join(' + ') : a.after ? `none (${a.after.seconds} s after ${a.after.fault})` : 'none');
  const rows = shown
    .map(
      (a) =>
        `<tr><td><code>${esc(show(a.element, 40))}</code></td><td class="num">${esc(fmtSeconds(a.time))}</td><td>${esc(a.node ?? '')}</td>` +
        `<td class="num">${esc(a.completionIndex ?? a.invokeIndex)}</td><td>${esc(faults(a))}</td></tr>`,
    )
    .join('');
  return (
    `<div class="value-list bad"><h5>lost (acknowledged, missing from the final read): ${fmtCount(lost.length)}${more}</h5><p>acknowledged under ${groups}</p>` +
    `<table class="ops"><tr><th>element</th><th>acknowledged at</th><th>by node</th><th>op</th><th>faults in effect then</th></tr>${rows}</table></div>`
  );
}

/** Adds as evidence: the element, where it was acknowledged (or failed), and when. */
function addTable(name: string, adds: readonly SetAdd[], cls: string): string {
  if (adds.length === 0) return valueList(name, [], '');
  const shown = adds.slice(0, MAX_LISTED);
  const more = adds.length > shown.length ? ` <span class="muted">(first ${shown.length} shown)</span>` : '';
  const rows = shown
    .map((a) => `<tr><td><code>${esc(show(a.element, 40))}</code></td><td class="num">${esc(fmtSeconds(a.time))}</td><td>${esc(a.node ?? '')}</td><td class="num">${a.completionIndex ?? a.invokeIndex}</td></tr>`)
    .join('');
  return `<div class="value-list ${esc(cls)}"><h5>${esc(name)}: ${fmtCount(adds.length)}${more}</h5><table><tr><th>element</th><th>completed at</th><th>node</th><th>op</th></tr>${rows}</table></div>`;
}

function renderSet(d: SetDetails): string {
  const facts = `<dl class="facts"><dt>attempted</dt><dd>${fmtCount(d.attempted)}</dd><dt>acknowledged</dt><dd>${fmtCount(d.acknowledged)}</dd><dt>final read</dt><dd>${fmtCount(d.read)}</dd></dl>`;
  const stale = d.stale.length
    ? `<div class="value-list bad"><h5>stale reads (missed adds acknowledged before they began): ${fmtCount(d.stale.length)}</h5><ul>${d.stale
        .slice(0, MAX_LISTED)
        .map((r) => `<li>read op ${r.readIndex} missed ${fmtCount(r.missingCount)}: ${r.missing.map((a) => `<code>${esc(show(a.element, 20))}</code> (acknowledged at op ${a.completionIndex})`).join(', ')}</li>`)
        .join('')}</ul></div>`
    : '';
  return (
    facts +
    (d.lost.length > 0 ? lostTable(d.lost) : valueList('lost (acknowledged, missing from the final read)', [], '')) +
    valueList('unexpected (read, never attempted)', d.unexpected, d.unexpected.length > 0 ? 'bad' : '') +
    valueList(
      'duplicated (read more than once)',
      d.duplicated.map((x) => `${show(x.element, 30)} ×${x.count} (op ${x.readIndex})`),
      d.duplicated.length > 0 ? 'bad' : '',
    ) +
    addTable('failed adds that were applied (reported fail, then read)', d.failedApplied, d.failedApplied.length > 0 ? 'bad' : '') +
    stale +
    valueList('recovered (unknown outcome, in the final read)', d.recovered.map((a) => a.element), '')
  );
}

function renderJsonDetails(details: unknown): string {
  if (details === undefined) return '';
  return `<details class="json"><summary>details</summary><pre>${esc(prettyJson(details))}</pre></details>`;
}

export function renderChecker(name: string, o: CheckerOutcome): string {
  let evidence: string;
  const replicated = renderReplicated(o.details);
  if (replicated !== undefined) evidence = replicated;
  else if (isLinearizabilityResult(o.details)) evidence = renderLinearizable(o.details);
  else if (isSetDetails(o.details)) evidence = renderSet(o.details);
  else if (isElleResult(o.details)) evidence = renderElle(o.details, `elle-${name}`);
  else evidence = renderJsonDetails(o.details);
  // The raw result stays one click away for the specialised renderings too.
  if (replicated !== undefined || isLinearizabilityResult(o.details) || isSetDetails(o.details) || isElleResult(o.details)) evidence += renderJsonDetails(o.details);
  // A level the store did not promise, found broken: reported, not failed.
  const badge = foundNotPromised(o.details) ? '<span class="badge v-reported">found, not promised</span>' : `<span class="badge ${verdictClass(o.valid)}">${esc(verdictText(o.valid))}</span>`;
  return (
    `<section class="checker" id="checker-${esc(name)}">` +
    `<h3>${badge} ${esc(name)}</h3>` +
    `<p class="summary">${esc(o.summary)}</p>${evidence}</section>`
  );
}

export function renderCheckers(results: RunResults): string {
  const entries = Object.entries(results.checkers);
  if (entries.length === 0) return '<p>No checker ran.</p>';
  // Invalid first, then unknown, then what was found but not promised, then valid: the reader wants the problem.
  const rank = (o: CheckerOutcome) => (o.valid === false ? 0 : o.valid === 'unknown' ? 1 : foundNotPromised(o.details) ? 2 : 3);
  return entries
    .sort(([a, x], [b, y]) => rank(x) - rank(y) || a.localeCompare(b))
    .map(([n, o]) => renderChecker(n, o))
    .join('');
}
