/**
 * The timeline: one lane per client process, each op a bar from invocation
 * to completion coloured by outcome (info ops run to the end of the test),
 * fault windows shaded behind, counterexample ops outlined on top.
 *
 * Bounded: past MAX_BARS ops, ordinary ops are aggregated into cells (a lane
 * by a slice of time) whose colours show the share of each outcome; ops to
 * highlight and, up to a cap, info ops are still drawn one by one. Past
 * MAX_LANES processes, each worker gets a lane for all its processes (after
 * an info op a worker goes on as process p + concurrency), or, without that,
 * neighbouring processes share a lane.
 *
 * An info op is a full bar while its client waited, then a thin tail to the
 * end of the test: it may take effect at any time, and the tail must not hide
 * the ops its worker runs next.
 */
import { show } from './escape.js';
import type { FaultWindow } from '../harness/history/fault-windows.js';
import { fmtDuration } from './format.js';
import type { Span, SpanType } from './spans.js';
import { faultLabelSpace, faultShading, line, linearScale, rect, svg, text, timeAxis, title } from './svg.js';

export const MAX_BARS = 5000;
export const MAX_LANES = 200;
/** Info ops drawn one by one even past MAX_BARS (two shapes each: bar and tail). */
const MAX_SINGLE_INFO = 500;

export type Highlight = 'culprit' | 'concurrent';

export interface TimelineInput {
  spans: readonly Span[];
  windows: readonly FaultWindow[];
  /** By invocation index: ops of a counterexample. */
  highlights: ReadonlyMap<number, Highlight>;
  /** End of the test, ns. */
  end: number;
  /** Client workers (the spec's concurrency), for lanes by worker when processes are too many. */
  workers?: number;
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

interface Lanes {
  laneOf: Map<number, number>;
  labels: string[];
  /** What was done when processes were too many for a lane each, if anything. */
  note?: string;
}

/** Lane of each process: one each, sorted; by worker or folded into groups when there are too many. */
function lanesOf(spans: readonly Span[], workers: number | undefined): Lanes {
  const procs = [...new Set(spans.map((s) => s.process))].sort((a, b) => a - b);
  const laneOf = new Map<number, number>();
  const labels: string[] = [];
  if (procs.length > MAX_LANES && workers !== undefined && workers >= 1 && workers <= MAX_LANES && procs.every((p) => p >= 0)) {
    const used = [...new Set(procs.map((p) => p % workers))].sort((a, b) => a - b);
    used.forEach((w, lane) => (labels[lane] = `w${w}`));
    const laneOfWorker = new Map(used.map((w, lane) => [w, lane]));
    for (const p of procs) laneOf.set(p, laneOfWorker.get(p % workers)!);
    const note = `${procs.length} processes: one lane per worker (w${used[0]} holds processes ${used[0]}, ${used[0]! + workers}, ${used[0]! + 2 * workers}, …).`;
    return { laneOf, labels, note };
  }
  const fold = Math.max(1, Math.ceil(procs.length / MAX_LANES));
  procs.forEach((p, i) => {
    const lane = Math.floor(i / fold);
    laneOf.set(p, lane);
    if (i % fold === 0) labels[lane] = fold === 1 ? `p${p}` : `p${p}…`;
  });
  return { laneOf, labels, ...(fold > 1 ? { note: `${procs.length} processes: every ${fold} neighbouring processes share a lane.` } : {}) };
}

export function renderTimeline(input: TimelineInput): Timeline {
  const { spans, windows, highlights, end } = input;
  const notes: string[] = [];
  const { laneOf, labels, note } = lanesOf(spans, input.workers);
  const lanes = Math.max(labels.length, 1);
  if (note) notes.push(note);

  const laneH = Math.max(3, Math.min(18, Math.floor(720 / lanes)));
  const x = linearScale(0, end, LEFT, WIDTH - RIGHT);
  const top = 8 + faultLabelSpace(windows, x);
  const bottom = top + lanes * laneH;
  const height = bottom + 22;
  const barH = Math.max(2, laneH * 0.72);
  const yOf = (lane: number) => top + lane * laneH + (laneH - barH) / 2;

  const parts: string[] = [];
  parts.push(faultShading(windows, x, top, bottom, true));
  parts.push(timeAxis(x, end, top, bottom));
  const labelEvery = laneH >= 12 ? 1 : Math.ceil(12 / laneH);
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
    // Each cell is one shape per outcome present in it (at most three), so this keeps the total within MAX_BARS.
    const cols = Math.max(1, Math.min(600, Math.floor((MAX_BARS - 2 * single.length) / lanes / 3)));
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
    // An info op that completed: a bar while the client waited, then the tail.
    const barEnd = s.type === 'info' && s.completion ? s.completion.time : s.end;
    const w = Math.max(minW, x(barEnd) - x0);
    const cls = `op ${s.type}${hl ? ` hl hl-${hl}` : ''}`;
    parts.push(rect(x0, yOf(lane), w, barH, cls, spanTitle(s), ` data-op="${s.invoke.index}"`));
    bars++;
    if (barEnd < s.end) {
      const tailH = Math.max(1, barH * 0.25);
      parts.push(rect(x0 + w, yOf(lane) + barH - tailH, x(s.end) - x0 - w, tailH, 'op info tail'));
      bars++;
    }
    if (hl === 'culprit') {
      parts.push(line(x0, top, x0, bottom, 'hl-mark'));
      parts.push(text(x0, yOf(lane) - 2, `▼ op ${s.invoke.index}`, 'hl-label'));
    }
  }

  const label = `Timeline of ${spans.length} operations over ${lanes} lanes with ${windows.length} fault windows`;
  return { svg: svg(WIDTH, height, label, parts.join('')), notes, bars };
}
