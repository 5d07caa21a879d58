/**
 * One key of a key-value store with get, put and append (Porcupine's kv
 * model). Values are `[key, value]`; the checker splits the history per key
 * and this model sees one key at a time. A missing key reads as "".
 */
import { show, type Model } from '../model.js';

export function kvModel(): Model<string> {
  return {
    name: 'kv',
    description: 'a key-value store with get, put and append on [key, value]; checked per key; keys start as ""',
    init: (initial) => (typeof initial === 'string' ? initial : ''),
    step(state, call) {
      const v = text(call.value);
      switch (call.f) {
        case 'get':
          return call.outcome === 'unknown' || v === state ? state : undefined;
        case 'put':
          return v;
        case 'append':
          return state + v;
      }
      return undefined;
    },
    key: (s) => s,
    // Appends only grow a value: a get of v is out of reach from a state that
    // is not a prefix of v, unless a put of a prefix of v is still to come.
    readPruning: {
      applies: (read) => read.f === 'get',
      mayEnable: (writer, read) => writer.f === 'put' && text(read.value).startsWith(text(writer.value)),
      reachableWithoutEnablers: (state, read) => text(read.value).startsWith(state),
    },
    readOnly: (call) => call.f === 'get',
    invalidCall: (call) =>
      call.f === 'get' || call.f === 'put' || call.f === 'append' ? undefined : `the kv model has get, put and append; found '${call.f}'`,
    describe: (call) =>
      call.f === 'get' ? `get -> ${call.outcome === 'unknown' ? '?' : JSON.stringify(call.value ?? '')}` : `${call.f} ${JSON.stringify(call.value ?? '')}`,
    showState: (s) => JSON.stringify(s),
  };
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
