/**
 * One key of a key-value store with get, put and append (Porcupine's kv
 * model). Values are `[key, value]`; the checker splits the history per key
 * and this model sees one key at a time. A missing key reads as "".
 */
import { show, type Model } from '../model.js';

/**
 * The state no get of the history can ever see again without a put first:
 * a value that is not a prefix of any value a get returned (appends only
 * extend it). All such values behave alike for this history, so they are
 * one state, and the search does not tell apart orders of appends that no
 * read observed.
 */
const UNREADABLE = '\u0000unreadable';

export function kvModel(readValues?: ReadonlySet<string>): Model<string> {
  // Sorted, the values that start with s follow s directly: one binary search tells.
  const sorted = readValues ? [...readValues].sort() : undefined;
  const readable = (s: string) => {
    if (!sorted || s === UNREADABLE) return s;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo]!.startsWith(s) ? s : UNREADABLE;
  };
  return {
    name: 'kv',
    description: 'a key-value store with get, put and append on [key, value]; checked per key; keys start as ""',
    init: (initial) => (typeof initial === 'string' ? initial : ''),
    step(state, call) {
      const v = text(call.value);
      switch (call.f) {
        case 'get':
          return call.outcome === 'unknown' || (v === state && state !== UNREADABLE) ? state : undefined;
        case 'put':
          return readable(v);
        case 'append':
          return state === UNREADABLE ? state : readable(state + v);
      }
      return undefined;
    },
    key: (s) => s,
    // Appends only grow a value: a get of v is out of reach from a state that
    // is not a prefix of v, unless a put of a prefix of v is still to come.
    readPruning: {
      applies: (read) => read.f === 'get',
      canEnable: (writer) => writer.f === 'put',
      mayEnable: (writer, read) => writer.f === 'put' && text(read.value).startsWith(text(writer.value)),
      reachableWithoutEnablers: (state, read) => state !== UNREADABLE && text(read.value).startsWith(state),
    },
    specialize: (calls) => kvModel(new Set(calls.filter((c) => c.f === 'get' && c.outcome === 'ok').map((c) => text(c.value)))),
    readOnly: (call) => call.f === 'get',
    invalidCall: (call) =>
      call.f === 'get' || call.f === 'put' || call.f === 'append' ? undefined : `the kv model has get, put and append; found '${call.f}'`,
    describe: (call) =>
      call.f === 'get' ? `get -> ${call.outcome === 'unknown' ? '?' : JSON.stringify(call.value ?? '')}` : `${call.f} ${JSON.stringify(call.value ?? '')}`,
    showState: (s) => (s === UNREADABLE ? '(a value no get returned)' : JSON.stringify(s)),
  };
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
