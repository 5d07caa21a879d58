/** A lock: acquire when free, release when held. */
import type { Model } from '../model.js';

export function mutexModel(): Model<boolean> {
  return {
    name: 'mutex',
    description: 'a lock with acquire and release; initially free',
    init: (initial) => initial === true,
    step(held, call) {
      if (call.f === 'acquire') return held ? undefined : true;
      return held ? false : undefined;
    },
    resultIndependentOfState: true,
    key: (held) => (held ? 1 : 0),
    readOnly: () => false,
    invalidCall: (call) =>
      call.f === 'acquire' || call.f === 'release' ? undefined : `the mutex model has acquire and release; found '${call.f}'`,
    describe: (call) => `${call.f}${call.outcome === 'unknown' ? ' -> ?' : ''}`,
    showState: (held) => (held ? 'held' : 'free'),
  };
}
