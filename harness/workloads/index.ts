import { UsageError } from '../errors.js';
import { appendWorkload } from './append.js';
import { registerWorkload } from './register.js';
import { setWorkload } from './set.js';
import type { Workload } from './types.js';

export const WORKLOAD_NAMES = ['register', 'set', 'append'] as const;

export function createWorkload(name: string, concurrency: number): Workload {
  switch (name) {
    case 'register':
      return registerWorkload(concurrency);
    case 'set':
      return setWorkload();
    case 'append':
      return appendWorkload();
  }
  throw new UsageError(`unknown workload '${name}'; expected one of ${WORKLOAD_NAMES.join(', ')}`);
}
