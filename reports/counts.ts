/** A table of history events by f and type, client ops first, then the nemesis's. */
import type { History, OpType } from '../harness/history/op.js';
import { esc } from './escape.js';
import { fmtCount } from './format.js';

const TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];

interface Row {
  f: string;
  nemesis: boolean;
  byType: Record<OpType, number>;
}

export function countByF(history: History): Row[] {
  const rows = new Map<string, Row>();
  for (const op of history) {
    const nemesis = op.process === 'nemesis';
    const key = `${nemesis ? 'n' : 'c'}:${op.f}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { f: op.f, nemesis, byType: { invoke: 0, ok: 0, fail: 0, info: 0 } }));
    if (row.byType[op.type] !== undefined) row.byType[op.type]++;
  }
  return [...rows.values()].sort((a, b) => Number(a.nemesis) - Number(b.nemesis) || a.f.localeCompare(b.f));
}

export function renderCounts(history: History): string {
  const rows = countByF(history);
  if (rows.length === 0) return '<p>The history is empty.</p>';
  const total: Record<OpType, number> = { invoke: 0, ok: 0, fail: 0, info: 0 };
  const body = rows.map((r) => {
    if (!r.nemesis) for (const t of TYPES) total[t] += r.byType[t];
    const cells = TYPES.map((t) => `<td class="num${r.byType[t] > 0 && t !== 'invoke' ? ` ${t}` : ''}">${fmtCount(r.byType[t])}</td>`).join('');
    return `<tr><td><code>${esc(r.f)}</code>${r.nemesis ? ' <span class="muted">(nemesis)</span>' : ''}</td>${cells}</tr>`;
  });
  const foot = `<tr class="total"><td>all client ops</td>${TYPES.map((t) => `<td class="num">${fmtCount(total[t])}</td>`).join('')}</tr>`;
  return `<table class="counts"><tr><th>f</th>${TYPES.map((t) => `<th>${t}</th>`).join('')}</tr>${body.join('')}${foot}</table>`;
}
