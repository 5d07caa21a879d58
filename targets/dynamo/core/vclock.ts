/**
 * Vector clocks, dots and contexts.
 *
 * A dot names one write: the `counter`-th version that `node` coordinated
 * for a key. A vector clock says, for each node, up to which counter a
 * version has seen that node's writes. A context is what a client hands back
 * with its next write, the versions that write replaces: the clocks of what
 * its session read, plus the dots of the writes it made (a clock could not
 * say "this write of n1 but not the one before it", which a client that
 * wrote through n1 without reading the other write has seen).
 */

export type VClock = Readonly<Record<string, number>>;

export interface Dot {
  node: string;
  counter: number;
}

export interface Context {
  clock: VClock;
  /** Single writes seen beyond the clock. */
  dots: readonly Dot[];
}

export const EMPTY_CLOCK: VClock = Object.freeze({});
export const EMPTY_CONTEXT: Context = Object.freeze({ clock: EMPTY_CLOCK, dots: Object.freeze([]) as readonly Dot[] });

export const sameDot = (a: Dot, b: Dot): boolean => a.node === b.node && a.counter === b.counter;

/** Whether `clock` has seen the write `dot`. */
export function covers(clock: VClock, dot: Dot): boolean {
  return (clock[dot.node] ?? 0) >= dot.counter;
}

/** Whether a context has seen the write `dot`. */
export function contextCovers(ctx: Context, dot: Dot): boolean {
  return covers(ctx.clock, dot) || ctx.dots.some((d) => sameDot(d, dot));
}

/** The least clock that has seen both. */
export function join(a: VClock, b: VClock): VClock {
  const out: Record<string, number> = { ...a };
  for (const [node, n] of Object.entries(b)) if ((out[node] ?? 0) < n) out[node] = n;
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k]!;
  return sorted;
}

/** A context that has also seen `dot`. */
export function withDot(ctx: Context, dot: Dot): Context {
  if (contextCovers(ctx, dot)) return ctx;
  return { clock: ctx.clock, dots: [...ctx.dots, dot] };
}

/** Everything either context has seen: a session's context only grows. */
export function joinContexts(a: Context, b: Context): Context {
  const clock = join(a.clock, b.clock);
  const dots: Dot[] = [];
  for (const d of [...a.dots, ...b.dots]) if (!covers(clock, d) && !dots.some((x) => sameDot(x, d))) dots.push(d);
  return { clock, dots };
}

/** The highest counter of `node` a context mentions. */
export function highestCounter(ctx: Context, node: string): number {
  return Math.max(ctx.clock[node] ?? 0, ...ctx.dots.filter((d) => d.node === node).map((d) => d.counter));
}

/** A context as a clock: everything it mentions. */
export function clockOf(ctx: Context): VClock {
  return ctx.dots.reduce((c, d) => join(c, { [d.node]: d.counter }), ctx.clock);
}

function isClock(x: unknown): x is VClock {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  return Object.values(x).every((n) => Number.isInteger(n) && (n as number) >= 0);
}

export function isDot(x: unknown): x is Dot {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  return typeof d.node === 'string' && Number.isInteger(d.counter) && (d.counter as number) > 0;
}

/** Whether a wire value is a well-formed context. */
export function isContext(x: unknown): x is Context {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return isClock(c.clock) && Array.isArray(c.dots) && c.dots.every(isDot);
}
