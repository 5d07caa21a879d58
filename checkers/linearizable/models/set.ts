/** A set: add an element; read returns every element (Knossos' set model). */
import { show, valueKey, type Model } from '../model.js';

type SetState = readonly (string | number)[]; // sorted keys of the elements

export function setModel(): Model<SetState> {
  return {
    name: 'set',
    description: 'a set with add x and read (returns all elements); initially empty',
    init: (initial) => (Array.isArray(initial) ? [...new Set(initial.map(valueKey))].sort() : []),
    step(state, call) {
      if (call.f === 'add') {
        const k = valueKey(call.value);
        return state.includes(k) ? state : [...state, k].sort();
      }
      if (call.outcome === 'unknown') return state;
      if (!Array.isArray(call.value)) return undefined;
      const read = [...new Set(call.value.map(valueKey))].sort();
      return read.length === state.length && read.every((k, i) => k === state[i]) ? state : undefined;
    },
    key: (s) => JSON.stringify(s),
    readOnly: (call) => call.f === 'read',
    invalidCall(call) {
      if (call.f === 'add') return undefined;
      if (call.f === 'read') return call.outcome !== 'ok' || Array.isArray(call.value) ? undefined : `a set read must return a list; found ${show(call.value)}`;
      return `the set model has add and read; found '${call.f}'`;
    },
    describe: (call) => (call.f === 'add' ? `add ${show(call.value)}` : `read -> ${call.outcome === 'unknown' ? '?' : show(call.value)}`),
    showState: (s) => `#{${s.map(show).join(' ')}}`,
  };
}
