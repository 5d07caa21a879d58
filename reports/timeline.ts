/**
 * The timeline: one lane per client process, each op a bar from invocation
 * to completion coloured by outcome (info ops run to the end of the test),
 * fault windows shaded behind, counterexample ops outlined on top.
 *
 * Bounded: past MAX_BARS ops, ordinary ops are aggregated into cells (a lane
 * by a slice of time) whose colours show the share of each outcome; ops to
 * highlight and, up to a cap, info ops are still drawn one by one. Past
 * MAX_LANES processes, neighbouring processes share a lane.
 */
import { show } from './escape.js';
import type { FaultWindow } from './faults.js';
import { fmtDuration } from './format.js';
import type { Span, SpanType } from './spans.js';
import { faultLabelRows, faultShading, line, linearScale, rect, svg, text, timeAxis, title } from './svg.js';

export const MAX_BARS = 5000;
export const MAX_LANES = 200;
const MAX_SINGLE_INFO = 1000;

export type Highlight = 'culprit' | 'concurrent';

export interface TimelineInput {
  spans: readonly Span[];
  windows: readonly FaultWindow[];
  /** By invocation index: ops of a counterexample. */
  highlights: ReadonlyMap<number, Highlight>;
  /** End of the test, ns. */
  end: number;
}

export interface Timeline {
  svg: string;
  /** Sentences on what was aggregated or folded, empty when every op is drawn. */
  notes: string[];
  bars: number;
}

const WIDTH = 1200;
const LEFT = 64;
const RIGHT = 12;

export function spanTitle(s: Span): string {
  const c = s.completion;
  const idx = c ? `ops ${s.invoke.index}→${c.index}` : `op ${s.invoke.index} (never completed)`;
  const result = c ? ` → ${c.type} ${show(c.value, 80)}` : '';
  const took = c ? ` in ${fmtDuration(c.time - s.start)}` : '';
  const node = s.invoke.node ? ` on ${s.invoke.node}` : '';
  const err = c?.error !== undefined ? ` (${show(c.error, 80)})` : '';
  return `${idx}: process ${s.process} ${s.f} ${show(s.invoke.value, 80)}${result}${took}${node}${err}; ${(s.start / 1e9).toFixed(3)}s`;
}

/** Lane of each process: sorted, and folded into groups when there are too many. */
function lanesOf(spans: readonly Span[]): { laneOf: Map<number, number>; labels: string[]; fold: number } {
  const procs = [...new Set(spans.map((s) => s.process))].sort((a, b) => a - b);
  const fold = Math.max(1, Math.ceil(procs.length / MAX_LANES));
  const laneOf = new Map<number, number>();
  const labels: string[] = [];
  procs.forEach((p, i) => {
    const lane = Math.floor(i / fold);
    laneOf.set(p, lane);
    if (i % fold === 0) labels[lane] = fold === 1 ? `p${p}` : `p${p}…`;
  });
  return { laneOf, labels, fold };
}

export function renderTimeline(input: TimelineInput): Timeline {
  const { spans, windows, highlights, end } = input;
  const notes: string[] = [];
  const { laneOf, labels, fold } = lanesOf(spans);
  const lanes = Math.max(labels.length, 1);
  if (fold > 1) notes.push(`${laneOf.size} processes: every ${fold} neighbouring processes share a lane.`);

  const laneH = Math.max(3, Math.min(18, Math.floor(720 / lanes)));
  const x = linearScale(0, end, LEFT, WIDTH - RIGHT);
  const top = 8 + faultLabelRows(windows, x) * 12;
  const bottom = top + lanes * laneH;
  const height = bottom + 22;
  const barH = Math.max(2, laneH * 0.72);
  const yOf = (lane: number) => top + lane * laneH + (laneH - barH) / 2;

  const parts: string[] = [];
  parts.push(faultShading(windows, x, top, bottom, true));
  parts.push(timeAxis(x, end, top, bottom));
  const labelEvery = laneH >= 9 ? 1 : Math.ceil(9 / laneH);
  labels.forEach((l, i) => {
    if (i % labelEvery === 0) parts.push(text(LEFT - 6, top + i * laneH + laneH / 2 + 4, l, 'lane-label', 'end'));
  });

  // Which spans are drawn one by one, and which go into aggregate cells.
  const single: Span[] = [];
  const rest: Span[] = [];
  const aggregate = spans.length > MAX_BARS;
  let singleInfo = 0;
  for (const s of spans) {
    if (highlights.has(s.invoke.index)) single.push(s);
    else if (!aggregate) single.push(s);
    else if (s.type === 'info' && singleInfo < MAX_SINGLE_INFO) {
      single.push(s);
      singleInfo++;
    } else rest.push(s);
  }

  let bars = 0;
  if (rest.length > 0) {
    const cols = Math.max(1, Math.min(600, Math.floor((MAX_BARS - single.length) / lanes / 2)));
    const colNs = end / cols;
    const cells = new Map<number, Record<SpanType, number>>();
    for (const s of rest) {
      const col = Math.min(cols - 1, Math.floor(s.start / colNs));
      const key = laneOf.get(s.process)! * cols + col;
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { ok: 0, fail: 0, info: 0 }));
      c[s.type]++;
    }
    for (const [key, c] of cells) {
      const lane = Math.floor(key / cols);
      const col = key % cols;
      const x0 = x(col * colNs);
      const w = Math.max(1, x((col + 1) * colNs) - x0 - 0.5);
      const total = c.ok + c.fail + c.info;
      const hover = `${labels[lane]}, ${((col * colNs) / 1e9).toFixed(2)}–${(((col + 1) * colNs) / 1e9).toFixed(2)}s: ${total} ops (${c.ok} ok, ${c.fail} fail, ${c.info} info)`;
      // Stack the outcomes' shares within the bar height; the hover title goes on the group.
      let y = yOf(lane);
      const stack: string[] = [];
      for (const t of ['ok', 'fail', 'info'] as const) {
        if (c[t] === 0) continue;
        const h = (barH * c[t]) / total;
        stack.push(rect(x0, y, w, h, `op ${t}`));
        y += h;
        bars++;
      }
      parts.push(`<g>${title(hover)}${stack.join('')}</g>`);
    }
    notes.push(
      `${spans.length} ops are more than ${MAX_BARS} bars: ${rest.length} ordinary ops are shown as cells of ${fmtDuration(colNs)} per lane, ` +
        `coloured by their share of ok / fail / info; ${single.length} ops (counterexample ops and info ops) are still drawn one by one.`,
    );
  }

  // Highlighted ops last, so they sit on top.
  single.sort((a, b) => Number(highlights.has(a.invoke.index)) - Number(highlights.has(b.invoke.index)));
  for (const s of single) {
    const lane = laneOf.get(s.process)!;
    const hl = highlights.get(s.invoke.index);
    const x0 = x(s.start);
    const minW = hl ? 4 : 1;
    const w = Math.max(minW, x(s.end) - x0);
    const cls = `op ${s.type}${hl ? ` hl hl-${hl}` : ''}`;
    parts.push(rect(x0, yOf(lane), w, barH, cls, spanTitle(s), ` data-op="${s.invoke.index}"`));
    bars++;
    if (hl === 'culprit') {
      parts.push(line(x0, top, x0, bottom, 'hl-mark'));
      parts.push(text(x0, yOf(lane) - 2, `▼ op ${s.invoke.index}`, 'hl-label'));
    }
  }

  const label = `Timeline of ${spans.length} operations over ${lanes} lanes with ${windows.length} fault windows`;
  return { svg: svg(WIDTH, height, label, parts.join('')), notes, bars };
}
