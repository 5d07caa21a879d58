/**
 * What the run did, for the report: why the verdict is what it is (one line
 * each), a heal that failed (first: the cluster may still be faulty), the
 * recovery after the heal, operations by kind and outcome, faults asked,
 * applied and failed, the fault operations that failed, and harness errors.
 */
import type { RunResults } from '../harness/run-record.js';
import { esc } from './escape.js';
import { fmtCount, fmtDuration, fmtSeconds } from './format.js';

export function renderReasons(r: RunResults): string {
  const heal = r.healFailures.length
    ? `<div class="notes heal-failed"><strong>The final heal failed</strong>: the cluster may still be faulty.<ul>${r.healFailures.map((h) => `<li>${esc(h)}</li>`).join('')}</ul></div>`
    : '';
  // One reason is the banner's own line; more are listed under it.
  const reasons = r.reasons.length > 1 ? `<ul class="reasons">${r.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '';
  return heal + reasons;
}

function recoveryLine(r: RunResults): string {
  const rec = r.recovery;
  if (rec.served === true) return `The cluster served again ${esc(fmtDuration(rec.afterMs * 1e6))} after the final heal.`;
  if (rec.served === false) return `<strong>Liveness failure</strong>: the cluster did not serve again within ${esc(fmtDuration(rec.deadlineMs * 1e6))} of the final heal.`;
  return `Recovery not checked: ${esc(rec.why)}.`;
}

export function renderRunStats(r: RunResults): string {
  const s = r.stats;
  const opRows = Object.entries(s.ops)
    .map(
      ([kind, o]) =>
        `<tr><td><code>${esc(kind)}</code></td><td class="num${o.ok ? ' ok' : ''}">${fmtCount(o.ok)}</td><td class="num${o.fail ? ' fail' : ''}">${fmtCount(o.fail)}</td>` +
        `<td class="num${o.info ? ' info' : ''}">${fmtCount(o.info)}</td><td class="num">${fmtCount(o.open)}</td></tr>`,
    )
    .join('');
  const finals = s.finals.asked ? `<tr class="total"><td>final operations</td><td class="num">${fmtCount(s.finals.ok)}</td><td colspan="3" class="muted">of ${fmtCount(s.finals.asked)} needed</td></tr>` : '';
  const ops = `<table class="counts"><tr><th>operation</th><th>ok</th><th>fail</th><th>info</th><th>open</th></tr>${opRows}${finals}</table>`;
  const faultRows = Object.entries(s.faults)
    .map(
      ([kind, f]) =>
        `<tr><td>${esc(kind)}${f.asked ? '' : ' <span class="muted">(not asked)</span>'}</td><td class="num">${fmtCount(f.started)}</td><td class="num">${fmtCount(f.applied)}</td>` +
        `<td class="num${f.failed ? ' fail' : ''}">${fmtCount(f.failed)}</td><td class="num${f.stopsFailed ? ' fail' : ''}">${fmtCount(f.stopsFailed)}</td></tr>`,
    )
    .join('');
  const faults = faultRows
    ? `<table class="counts"><tr><th>fault</th><th>started</th><th>applied</th><th>failed</th><th>stops failed</th></tr>${faultRows}</table>`
    : '<p class="muted">No faults were asked for.</p>';
  const failed = s.failedFaultOps.length
    ? `<h3>Fault operations that failed</h3><table><tr><th>op</th><th>f</th><th>what</th><th>error</th></tr>${s.failedFaultOps
        .map((o) => `<tr><td class="num">${o.index}</td><td><code>${esc(o.f)}</code></td><td>${o.partial ? 'partly done' : 'nothing done'}</td><td>${esc(o.error)}</td></tr>`)
        .join('')}</table>`
    : '';
  const errors = r.harnessErrors.count
    ? `<h3>Harness errors</h3><p>${fmtCount(r.harnessErrors.count)} errors of the harness itself (stacks in <code>harness.log</code>); the first:</p><ul>${r.harnessErrors.first
        .map((e) => `<li>${esc(fmtSeconds(e.time))}: in ${esc(e.where)}: <code>${esc(e.message)}</code></li>`)
        .join('')}</ul>`
    : '';
  return `<p>${recoveryLine(r)}</p><div class="side-by-side">${ops}${faults}</div>${failed}${errors}`;
}
