/**
 * One key of a key-value store with get, put and append (Porcupine's kv
 * model). Values are `[key, value]`; the checker splits the history per key
 * and this model sees one key at a time. A missing key reads as "".
 *
 * For one history, the model specializes itself (Model.specialize): states
 * become positions in a trie of the values its gets returned (prefix-trie.ts).
 * Every value that is no prefix of a value read is one state, OFF_TRIE: no
 * get can see it again before a put, so the search need not tell apart the
 * orders of appends that no read observed.
 */
import type { Model, ModelCall, ReadPruning } from '../model.js';
import { OFF_TRIE, PrefixTrie } from './prefix-trie.js';

const common = {
  name: 'kv',
  description: 'a key-value store with get, put and append on [key, value]; checked per key; keys start as ""',
  readOnly: (call: ModelCall) => call.f === 'get',
  invalidCall: (call: ModelCall) =>
    call.f === 'get' || call.f === 'put' || call.f === 'append' ? undefined : `the kv model has get, put and append; found '${call.f}'`,
  describe: (call: ModelCall) =>
    call.f === 'get' ? `get -> ${call.outcome === 'unknown' ? '?' : JSON.stringify(call.value ?? '')}` : `${call.f} ${JSON.stringify(call.value ?? '')}`,
};

/**
 * Appends only grow a value: a get of v is out of reach from a state that is
 * not a prefix of v, unless a put of a prefix of v is still to come.
 */
function getPruning<S>(isPrefixOfRead: (state: S, read: ModelCall) => boolean): ReadPruning<S> {
  return {
    applies: (read) => read.f === 'get',
    canEnable: (writer) => writer.f === 'put',
    mayEnable: (writer, read) => writer.f === 'put' && text(read.value).startsWith(text(writer.value)),
    reachableWithoutEnablers: isPrefixOfRead,
  };
}

export function kvModel(): Model<string> {
  return {
    ...common,
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
    readPruning: getPruning((state, read) => text(read.value).startsWith(state)),
    specialize: (calls) => trieModel(new PrefixTrie(calls.filter((c) => c.f === 'get' && c.outcome === 'ok').map((c) => text(c.value)))),
    showState: (s) => JSON.stringify(s),
  };
}

function trieModel(trie: PrefixTrie): Model<number> {
  return {
    ...common,
    init: (initial) => trie.positionOf(typeof initial === 'string' ? initial : ''),
    step(state, call) {
      switch (call.f) {
        case 'get':
          return call.outcome === 'unknown' || (state !== OFF_TRIE && state === trie.positionOf(text(call.value))) ? state : undefined;
        case 'put':
          return trie.positionOf(text(call.value));
        case 'append':
          return trie.walk(state, text(call.value));
      }
      return undefined;
    },
    key: (s) => s,
    readPruning: getPruning((state, read) => trie.isPrefix(state, trie.positionOf(text(read.value)))),
    showState: (s) => (s === OFF_TRIE ? '(a value no get returned)' : JSON.stringify(trie.text(s))),
  };
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

