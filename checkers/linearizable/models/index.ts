/** The models `harness check --model` accepts. */
import type { Model } from '../model.js';
import { kvModel } from './kv.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { queueModel } from './queue.js';
import { registerModel, type RegisterOptions } from './register.js';
import { setModel } from './set.js';

/**
 * How to read outcomes that different tools record differently.
 * - knossos: failed ops did not happen; a read of nil tells nothing.
 * - strict: failed ops did not happen; a read of nil means the value is nil.
 * - etcd: a failed cas is a comparison that failed, a failed read is of
 *   unknown outcome, and nil means the key does not exist (Porcupine's etcd logs).
 */
export type Semantics = 'knossos' | 'strict' | 'etcd';
export const SEMANTICS: readonly Semantics[] = ['knossos', 'strict', 'etcd'];

export const MODEL_NAMES = ['register', 'cas-register', 'multi-register', 'mutex', 'set', 'fifo-queue', 'unordered-queue', 'kv'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export function isModelName(s: string): s is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(s);
}

/** Models whose operations carry `[key, value]` and are checked one key at a time. */
export function alwaysPerKey(name: ModelName): boolean {
  return name === 'kv';
}

/** For the register models, their options: they are checked on integers (register-check.ts), not through `step`. */
export function registerOptions(name: ModelName, semantics: Semantics): RegisterOptions | undefined {
  if (name !== 'register' && name !== 'cas-register') return undefined;
  return { cas: name === 'cas-register', nilReadMatchesAny: semantics === 'knossos' };
}

export function createModel(name: ModelName, semantics: Semantics): Model {
  switch (name) {
    case 'register':
    case 'cas-register':
      return registerModel(registerOptions(name, semantics)!);
    case 'multi-register':
      return multiRegisterModel() as Model;
    case 'mutex':
      return mutexModel() as Model;
    case 'set':
      return setModel() as Model;
    case 'fifo-queue':
      return queueModel(true) as Model;
    case 'unordered-queue':
      return queueModel(false) as Model;
    case 'kv':
      return kvModel() as Model;
  }
}
