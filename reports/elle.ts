/**
 * An Elle-like checker's result in the run report: what was checked, the
 * model boundary, and each anomaly with its explanation, its transactions,
 * and for a cycle a small drawing (inline SVG: transactions on a circle,
 * one coloured arrow per dependency, labelled with its relation and key).
 */
import type { AnomalyReport, CycleAnomalyReport, ElleResult } from '../checkers/elle/result.js';
import type { Rel } from '../checkers/elle/graph.js';
import { microOpsText } from '../checkers/elle/explain.js';
import { esc, show } from './escape.js';
import { fmtCount } from './format.js';
import { r1, title } from './svg.js';

export function isElleResult(x: unknown): x is ElleResult {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<ElleResult>;
  return (r.checker === 'elle-list-append' || r.checker === 'elle-rw-register') && Array.isArray(r.anomalies) && Array.isArray(r.anomalyTypes);
}

const REL_LABEL: Record<Rel, string> = { ww: 'ww', wr: 'wr', rw: 'rw', process: 'process', realtime: 'real time' };

const NODE_R = 17;

/** The cycle T1 → T2 → ... → T1, drawn. `id` keeps marker ids unique on the page. */
export function cycleSvg(a: CycleAnomalyReport, id: string): string {
  const k = a.txns.length;
  const radius = k === 2 ? 70 : Math.max(70, k * 26);
  const pad = 62;
  const size = 2 * (radius + pad);
  const c = size / 2;
  const at = (i: number) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / k;
    return { x: c + radius * Math.cos(angle), y: c + radius * Math.sin(angle) };
  };
  const index = new Map(a.txns.map((t, i) => [t.name, i]));
  const rels = [...new Set(a.steps.map((s) => s.rel))];
  const defs = rels
    .map((rel) => `<marker id="${esc(`${id}-${rel}`)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="cyc-head cyc-${rel}"/></marker>`)
    .join('');
  const arrows = a.steps.map((s) => {
    const p = at(index.get(s.from)!);
    const q = at(index.get(s.to)!);
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.hypot(dx, dy) || 1;
    // Bend each arrow to its right: the two arrows between a pair never overlap.
    const bend = k === 2 ? 0.35 : 0.18;
    const ctrl = { x: (p.x + q.x) / 2 - (dy / len) * len * bend, y: (p.y + q.y) / 2 + (dx / len) * len * bend };
    const toward = (from: { x: number; y: number }, by: number) => {
      const ux = ctrl.x - from.x;
      const uy = ctrl.y - from.y;
      const ul = Math.hypot(ux, uy) || 1;
      return { x: from.x + (ux / ul) * by, y: from.y + (uy / ul) * by };
    };
    const start = toward(p, NODE_R + 1);
    const end = toward(q, NODE_R + 3);
    const mid = { x: 0.25 * start.x + 0.5 * ctrl.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * ctrl.y + 0.25 * end.y };
    const label = `${REL_LABEL[s.rel]}${s.key !== undefined ? ` ${show(s.key, 16)}` : ""}`;
    return (
      `<g class="cyc-edge">${title(`${s.from} < ${s.to}: ${s.text}`)}` +
      `<path d="M${r1(start.x)},${r1(start.y)} Q${r1(ctrl.x)},${r1(ctrl.y)} ${r1(end.x)},${r1(end.y)}" class="cyc-arrow cyc-${s.rel}" marker-end="url(#${esc(`${id}-${s.rel}`)})"/>` +
      `<text x="${r1(mid.x)}" y="${r1(mid.y)}" text-anchor="middle" class="cyc-label cyc-${s.rel}">${esc(label)}</text></g>`
    );
  });
  const nodes = a.txns.map((t, i) => {
    const p = at(i);
    return (
      `<g class="cyc-node">${title(`${t.name} = op ${t.index} (process ${t.process}, ${t.type}): ${show(t.value, 200)}`)}` +
      `<circle cx="${r1(p.x)}" cy="${r1(p.y)}" r="${NODE_R}"/>` +
      `<text x="${r1(p.x)}" y="${r1(p.y + 4)}" text-anchor="middle">${esc(t.name)}</text></g>`
    );
  });
  return `<svg viewBox="0 0 ${r1(size)} ${r1(size)}" width="${r1(size)}" height="${r1(size)}" role="img" aria-label="${esc(`${a.type} cycle: ${a.steps.map((s) => `${s.from} ${s.rel} ${s.to}`).join(', ')}`)}" class="cycle" xmlns="http://www.w3.org/2000/svg"><defs>${defs}</defs>${arrows.join('')}${nodes.join('')}</svg>`;
}

function txnTable(a: AnomalyReport): string {
  if (a.txns.length === 0) return '';
  const rows = a.txns
    .map((t) => `<tr><td>${esc(t.name)}</td><td class="num">${esc(t.invokeIndex === undefined ? t.index : `${t.invokeIndex} → ${t.index}`)}</td><td class="num">${esc(t.process)}</td><td class="${esc(t.type)}">${esc(t.type)}</td><td><code>${esc(microOpsText(t.value))}</code></td></tr>`)
    .join('');
  return `<table class="ops"><tr><th></th><th>op</th><th>process</th><th>outcome</th><th>micro-ops</th></tr>${rows}</table>`;
}

function renderAnomaly(a: AnomalyReport, id: string): string {
  const drawing = 'steps' in a ? `<div class="cycle-drawing">${cycleSvg(a, id)}</div>` : '';
  return `<div class="elle-anomaly"><h5>${esc(a.type)}</h5>${drawing}<pre class="explanation">${esc(a.explanation)}</pre>${txnTable(a)}</div>`;
}

const LEGEND = (['ww', 'wr', 'rw', 'process', 'realtime'] as const)
  .map((r) => `<span class="cyc-key cyc-${r}">${esc(REL_LABEL[r])}</span>`)
  .join(' ');

export function renderElle(r: ElleResult, idPrefix = 'elle'): string {
  const facts: [string, string][] = [
    ['models checked', r.consistencyModels.join(', ')],
    ['transactions', `${fmtCount(r.transactions)} (${fmtCount(r.committed)} committed, ${fmtCount(r.indeterminate)} indeterminate, ${fmtCount(r.failed)} failed)`],
    ['keys', fmtCount(r.keys)],
    ['dependencies', Object.entries(r.edges).map(([k, n]) => `${k} ${fmtCount(n)}`).join(', ')],
    ['cyclic components', `${fmtCount(r.components)}${r.components > 0 ? ` (largest ${fmtCount(r.largestComponent)} transactions)` : ''}`],
  ];
  if (r.not.length > 0) facts.push(['not', r.not.join(', ')], ['also not', r.alsoNot.join(', ') || 'none']);
  const dl = `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
  if (r.anomalies.length === 0) return dl;
  const parts = [dl, `<p class="hint">Arrows: ${LEGEND}. T1 &lt; T2 means T1 must precede T2; a cycle means no order of the transactions explains what they saw.</p>`];
  for (const type of r.anomalyTypes) {
    const shown = r.anomalies.filter((a) => a.type === type);
    const total = r.anomalyCounts[type] ?? shown.length;
    parts.push(`<h4>${esc(type)}: ${fmtCount(total)}${shown.length < total ? ` <span class="muted">(${shown.length} shown)</span>` : ''}</h4>`);
    shown.forEach((a, i) => parts.push(renderAnomaly(a, `${idPrefix}-${type}-${i}`)));
  }
  return parts.join('');
}
