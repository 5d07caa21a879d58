/**
 * Latency over time (a scatter of completion latency by completion time, log
 * scale) and throughput over time (completions per second per bucket, one
 * line per outcome), both over shaded fault windows.
 */
import type { FaultWindow } from '../harness/history/fault-windows.js';
import { fmtDuration } from './format.js';
import type { Span, SpanType } from './spans.js';
import { faultShading, line, linearScale, logScale, logTicks, niceTicks, r1, svg, text, timeAxis, title } from './svg.js';

export const MAX_POINTS = 5000;
const TYPES: readonly SpanType[] = ['ok', 'fail', 'info'];

const WIDTH = 1200;
const HEIGHT = 300;
const LEFT = 64;
const RIGHT = 12;
const TOP = 10;
const BOTTOM = HEIGHT - 30;

export interface Plot {
  svg: string;
  notes: string[];
}

/** Every k-th element so at most `max` remain (deterministic, spread evenly). */
export function sample<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const out: T[] = [];
  const step = xs.length / max;
  for (let i = 0; i < max; i++) out.push(xs[Math.floor(i * step)]!);
  return out;
}

export function renderLatency(spans: readonly Span[], windows: readonly FaultWindow[], end: number): Plot {
  const notes: string[] = [];
  const done = spans.filter((s) => s.completion !== undefined);
  const byType = TYPES.map((t) => done.filter((s) => s.type === t));
  // Sample each outcome in proportion, so rare fails and infos keep their share.
  const keep = done.length > MAX_POINTS ? MAX_POINTS / done.length : 1;
  const points = byType.flatMap((xs) => sample(xs, Math.max(1, Math.ceil(xs.length * keep))));
  if (keep < 1) notes.push(`${done.length} completed ops: ${points.length} are plotted, sampled evenly within each outcome.`);

  const lat = (s: Span) => Math.max(1, s.completion!.time - s.start);
  let lo = Infinity;
  let hi = 0;
  for (const s of done) {
    const l = lat(s);
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  if (!(hi > 0)) {
    lo = 1e6;
    hi = 1e9;
  }
  lo = 10 ** Math.floor(Math.log10(lo));
  hi = 10 ** Math.ceil(Math.log10(hi) + 1e-9);
  const x = linearScale(0, end, LEFT, WIDTH - RIGHT);
  const y = logScale(lo, hi, BOTTOM, TOP);

  const parts: string[] = [faultShading(windows, x, TOP, BOTTOM, false), timeAxis(x, end, TOP, BOTTOM)];
  for (const t of logTicks(lo, hi)) {
    parts.push(line(LEFT, y(t), WIDTH - RIGHT, y(t), 'grid'));
    parts.push(text(LEFT - 6, y(t) + 4, fmtDuration(t), 'tick', 'end'));
  }
  // One path per outcome keeps thousands of points cheap: a tiny square per point.
  for (const t of TYPES) {
    const d = points
      .filter((s) => s.type === t)
      .map((s) => `M${r1(x(s.completion!.time) - 1.5)} ${r1(y(lat(s)) - 1.5)}h3v3h-3z`)
      .join('');
    if (d) parts.push(`<path d="${d}" class="pt ${t}">${title(`${t} ops`)}</path>`);
  }
  parts.push(text(LEFT, HEIGHT - 2, 'completion latency by completion time (log scale)', 'axis-title'));
  return { svg: svg(WIDTH, HEIGHT, 'Latency over time', parts.join('')), notes };
}

/**
 * Bucket width: a round width giving about 20 completions per bucket on
 * average (so the rate is not mostly noise), and between ~10 and ~500 buckets.
 */
export function bucketNs(end: number, completions: number): number {
  const buckets = Math.max(10, Math.min(200, completions / 20));
  const raw = end / buckets;
  const steps = [1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10, 3e10, 6e10, 1.2e11, 3e11, 6e11];
  // The widest round step not wider than raw, so there are at least that many buckets.
  return [...steps].reverse().find((s) => s <= raw) ?? steps[0]!;
}

export function renderThroughput(spans: readonly Span[], windows: readonly FaultWindow[], end: number): Plot {
  const width = bucketNs(end, spans.filter((s) => s.completion !== undefined).length);
  const buckets = Math.max(1, Math.ceil(end / width));
  const counts: Record<SpanType, number[]> = { ok: [], fail: [], info: [] };
  for (const t of TYPES) counts[t] = new Array<number>(buckets).fill(0);
  for (const s of spans) {
    if (!s.completion) continue;
    const b = Math.min(buckets - 1, Math.floor(s.completion.time / width));
    counts[s.type][b]!++;
  }
  const perSec = 1e9 / width;
  let max = 1;
  for (const t of TYPES) for (const c of counts[t]) max = Math.max(max, c * perSec);
  const yMax = niceTicks(0, max, 5).at(-1)! < max ? max * 1.1 : niceTicks(0, max, 5).at(-1)!;

  const x = linearScale(0, end, LEFT, WIDTH - RIGHT);
  const y = linearScale(0, yMax, BOTTOM, TOP);
  const parts: string[] = [faultShading(windows, x, TOP, BOTTOM, false), timeAxis(x, end, TOP, BOTTOM)];
  for (const t of niceTicks(0, yMax, 5)) {
    parts.push(line(LEFT, y(t), WIDTH - RIGHT, y(t), 'grid'));
    parts.push(text(LEFT - 6, y(t) + 4, `${t}`, 'tick', 'end'));
  }
  for (const t of TYPES) {
    if (counts[t].every((c) => c === 0)) continue;
    // A step line: flat across each bucket.
    const d = counts[t]
      .map((c, i) => `${i === 0 ? 'M' : 'L'}${r1(x(i * width))} ${r1(y(c * perSec))}H${r1(x(Math.min(end, (i + 1) * width)))}`)
      .join('');
    parts.push(`<path d="${d}" class="tp ${t}">${title(`${t} ops/s`)}</path>`);
  }
  parts.push(text(LEFT, HEIGHT - 2, `completions per second, buckets of ${fmtDuration(width)}`, 'axis-title'));
  return { svg: svg(WIDTH, HEIGHT, 'Throughput over time', parts.join('')), notes: [] };
}
