/**
 * Small SVG building blocks shared by the timeline and the plots: scales,
 * ticks, shapes with hover titles, and fault-window shading. Shapes carry CSS
 * classes; the colours live in the page's stylesheet (see style.ts).
 */
import { esc } from './escape.js';
import type { FaultWindow } from '../harness/history/fault-windows.js';

export type Scale = (v: number) => number;

/** Round to 0.1 so the markup stays small. */
export function r1(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Log10 scale; values at or below zero map to the bottom of the range. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const l0 = Math.log10(d0);
  const l1 = Math.log10(d1);
  const lin = linearScale(l0, l1, r0, r1);
  return (v) => lin(v > 0 ? Math.log10(v) : l0);
}

/** About `count` round tick values between lo and hi. */
export function niceTicks(lo: number, hi: number, count = 8): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

/** Powers of ten from lo to hi. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi * 1.0001; e++) if (10 ** e >= lo * 0.9999) ticks.push(10 ** e);
  return ticks;
}

/** A title child: the browser shows it on hover. */
export function title(text: string | undefined): string {
  return text === undefined ? '' : `<title>${esc(text)}</title>`;
}

export function rect(x: number, y: number, w: number, h: number, cls: string, hover?: string, extra = ''): string {
  const body = title(hover);
  const attrs = `x="${r1(x)}" y="${r1(y)}" width="${r1(Math.max(w, 0))}" height="${r1(Math.max(h, 0))}" class="${esc(cls)}"${extra}`;
  return body ? `<rect ${attrs}>${body}</rect>` : `<rect ${attrs}/>`;
}

export function text(x: number, y: number, s: string, cls = '', anchor: 'start' | 'middle' | 'end' = 'start'): string {
  return `<text x="${r1(x)}" y="${r1(y)}" text-anchor="${anchor}"${cls ? ` class="${esc(cls)}"` : ''}>${esc(s)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, cls: string): string {
  return `<line x1="${r1(x1)}" y1="${r1(y1)}" x2="${r1(x2)}" y2="${r1(y2)}" class="${esc(cls)}"/>`;
}

/** An <svg> that scales to the page width, with an accessible label. */
export function svg(width: number, height: number, label: string, body: string): string {
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}" class="chart" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** A vertical time axis of grid lines and labels in seconds, for x in ns. */
export function timeAxis(x: Scale, endNs: number, top: number, bottom: number): string {
  const parts: string[] = [];
  for (const s of niceTicks(0, endNs / 1e9)) {
    const px = x(s * 1e9);
    parts.push(line(px, top, px, bottom, 'grid'));
    parts.push(text(px, bottom + 14, `${s}s`, 'tick', 'middle'));
  }
  return parts.join('');
}

/**
 * Shade each fault window across [top, bottom], labelled at the top when
 * `labels` is on. Different kinds get different classes (fault-partition ...).
 */
export function faultShading(windows: readonly FaultWindow[], x: Scale, top: number, bottom: number, labels: boolean): string {
  const parts: string[] = [];
  // Stagger labels of overlapping windows over a few rows so they stay readable.
  const rowEnds: number[] = [];
  for (const w of windows) {
    const x0 = x(w.start);
    const x1 = Math.max(x(w.end), x0 + 1);
    const hover = `${w.label}: ${(w.start / 1e9).toFixed(3)}s – ${(w.end / 1e9).toFixed(3)}s${w.open ? ' (never stopped)' : ''}`;
    parts.push(rect(x0, top, x1 - x0, bottom - top, `fault fault-${w.kind}`, hover));
    if (labels) {
      // A solid strip above the lanes, visible even where bars cover the shading.
      parts.push(rect(x0, top - STRIP, x1 - x0, STRIP - 1, `fault-strip fault-${w.kind}`, hover));
      let row = rowEnds.findIndex((e) => e < x0);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = x0 + Math.max(x1 - x0, w.label.length * 6.2);
      parts.push(text(x0 + 2, top - STRIP - 3 - row * 12, w.label, `fault-label fault-label-${w.kind}`));
    }
  }
  return parts.join('');
}

/** Height of the strip that marks each fault above the timeline's lanes. */
const STRIP = 5;

/** Room faultShading needs above `top` for its labels and strips. */
export function faultLabelSpace(windows: readonly FaultWindow[], x: Scale): number {
  const rows = faultLabelRows(windows, x);
  return rows === 0 ? 0 : rows * 12 + STRIP + 2;
}

/** How many label rows faultShading will use. */
export function faultLabelRows(windows: readonly FaultWindow[], x: Scale): number {
  const rowEnds: number[] = [];
  for (const w of windows) {
    const x0 = x(w.start);
    let row = rowEnds.findIndex((e) => e < x0);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = x0 + Math.max(x(w.end) - x0, w.label.length * 6.2);
  }
  return rowEnds.length;
}
