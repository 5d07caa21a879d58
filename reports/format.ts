/** Human formats for times (ns since the test began), durations and counts. */

export const NS_PER_S = 1e9;
export const NS_PER_MS = 1e6;

/** e.g. 12.345 s */
export function fmtSeconds(ns: number): string {
  return `${(ns / NS_PER_S).toFixed(3)} s`;
}

/** A duration at a readable unit: 850 µs, 12.3 ms, 4.20 s. */
export function fmtDuration(ns: number): string {
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  // Number() drops the trailing zeros toPrecision leaves: 10 ms, not 10.0 ms.
  if (ns < 1e6) return `${Number((ns / 1e3).toPrecision(3))} µs`;
  if (ns < 1e9) return `${Number((ns / 1e6).toPrecision(3))} ms`;
  return `${Number((ns / 1e9).toPrecision(3))} s`;
}

/** 12345 -> "12,345" */
export function fmtCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
