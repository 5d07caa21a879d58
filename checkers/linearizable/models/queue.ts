/**
 * Queues: enqueue x; dequeue returns an element. A FIFO queue must return
 * the oldest element; an unordered queue any element it holds. An ok
 * dequeue that returned nil says the queue was empty.
 */
import { show, valueKey, type Model } from '../model.js';

type Queue = readonly unknown[];

export function queueModel(fifo: boolean): Model<Queue> {
  return {
    name: fifo ? 'fifo-queue' : 'unordered-queue',
    description: fifo
      ? 'a FIFO queue with enqueue x and dequeue (returns the oldest element)'
      : 'an unordered queue with enqueue x and dequeue (returns any element it holds)',
    init: (initial) => (Array.isArray(initial) ? [...initial] : []),
    step(state, call) {
      if (call.f === 'enqueue') return fifo ? [...state, call.value] : sortedInsert(state, call.value);
      if (call.outcome === 'unknown') {
        // A FIFO dequeue that happened removed the oldest element. Which element an
        // unordered dequeue removed is unknown: we let it remove nothing, which can
        // only matter to a later dequeue that found the queue empty.
        if (fifo) return state.slice(1);
        return call.value === null ? state : remove(state, call.value, fifo) ?? state;
      }
      if (call.value === null) return state.length === 0 ? state : undefined;
      return remove(state, call.value, fifo);
    },
    key: (q) => JSON.stringify(q),
    readOnly: () => false,
    invalidCall: (call) =>
      call.f === 'enqueue' || call.f === 'dequeue' ? undefined : `the ${fifo ? 'fifo' : 'unordered'}-queue model has enqueue and dequeue; found '${call.f}'`,
    describe: (call) =>
      call.f === 'enqueue' ? `enqueue ${show(call.value)}` : `dequeue -> ${call.outcome === 'unknown' ? '?' : show(call.value)}`,
    showState: (q) => `[${q.map(show).join(' ')}]`,
  };
}

function sortedInsert(q: Queue, v: unknown): Queue {
  const out = [...q, v];
  return out.sort((a, b) => compareKeys(valueKey(a), valueKey(b)));
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'number' ? -1 : 1;
}

function remove(q: Queue, v: unknown, fifo: boolean): Queue | undefined {
  const k = valueKey(v);
  if (fifo) return q.length > 0 && valueKey(q[0]) === k ? q.slice(1) : undefined;
  const i = q.findIndex((x) => valueKey(x) === k);
  return i < 0 ? undefined : [...q.slice(0, i), ...q.slice(i + 1)];
}
