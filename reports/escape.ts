/**
 * Escaping for everything the reports put into HTML or SVG. Every string
 * that comes from a spec, a history or a checker goes through `esc`.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content and for quoted attribute values alike. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A short single-line rendering of any value; it lives with the history model, which labels faults with it. */
export { show } from '../harness/history/show.js';

/** Pretty JSON for a details block; never throws (cycles and BigInts are shown as text). */
export function prettyJson(v: unknown, maxChars = 200_000): string {
  let s: string;
  try {
    const seen = new WeakSet<object>();
    s =
      JSON.stringify(
        v,
        (_k, x: unknown) => {
          if (typeof x === 'bigint') return x.toString();
          if (typeof x === 'object' && x !== null) {
            if (seen.has(x)) return '[circular]';
            seen.add(x);
          }
          return x;
        },
        2,
      ) ?? String(v);
  } catch (e) {
    s = `(not JSON: ${e instanceof Error ? e.message : String(e)})`;
  }
  return s.length > maxChars ? `${s.slice(0, maxChars)}\n… (${s.length - maxChars} more characters not shown)` : s;
}

/** Quote one argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
