/**
 * A single register: read, write and (for cas-register) compare-and-set.
 *
 * With Knossos semantics a read that returned nil tells nothing (Knossos'
 * own register models accept it in any state); with strict reads, nil means
 * the register holds nil (an etcd key that does not exist).
 */
import { sameValue, show, valueKey, type Model, type ModelCall } from '../model.js';

export interface RegisterOptions {
  cas: boolean;
  nilReadMatchesAny: boolean;
}

function casArgs(value: unknown): [unknown, unknown] | undefined {
  return Array.isArray(value) && value.length === 2 ? [value[0], value[1]] : undefined;
}

export function registerModel(opts: RegisterOptions): Model<unknown> {
  const name = opts.cas ? 'cas-register' : 'register';
  return {
    name,
    description: opts.cas
      ? 'one register with read, write and cas [old new]; initial value from --init (default nil)'
      : 'one register with read and write; initial value from --init (default nil)',
    init: (initial) => initial ?? null,
    step(state, call) {
      switch (call.f) {
        case 'read':
          if (call.outcome === 'unknown') return state;
          if (call.value === null && opts.nilReadMatchesAny) return state;
          return sameValue(state, call.value) ? state : undefined;
        case 'write':
          return call.value;
        case 'cas': {
          const [from, to] = call.value as [unknown, unknown]; // checked by invalidCall
          const matches = sameValue(state, from);
          if (call.outcome === 'ok') return matches ? to : undefined;
          if (call.outcome === 'failed') return matches ? undefined : state;
          return matches ? to : state;
        }
      }
      return undefined;
    },
    resultIndependentOfState: true,
    key: valueKey,
    readOnly: (call) => call.f === 'read' || (call.f === 'cas' && call.outcome === 'failed'),
    invalidCall(call) {
      if (call.f === 'read' || call.f === 'write') return undefined;
      if (call.f === 'cas' && opts.cas) {
        return casArgs(call.value) ? undefined : `a cas needs [old new]; found ${show(call.value)}`;
      }
      return `the ${name} model has no operation '${call.f}' (it has read, write${opts.cas ? ', cas' : ''})`;
    },
    describe(call) {
      const result = call.outcome === 'unknown' ? ' -> ?' : call.outcome === 'failed' ? ' -> fail' : '';
      if (call.f === 'read') return `read -> ${call.outcome === 'unknown' ? '?' : show(call.value)}`;
      if (call.f === 'cas') {
        const [from, to] = casArgs(call.value) ?? [undefined, undefined];
        return `cas ${show(from)} -> ${show(to)}${result}`;
      }
      return `${call.f} ${show(call.value)}${result}`;
    },
    showState: show,
  };
}

export type RegisterCall = ModelCall;
