/**
 * The nemesis operations that open and close fault windows, as recorded in
 * histories (process 'nemesis'), by the kind of fault. Shared by the runner's
 * progress line and the reports' shading.
 */

/** Each start `f`, the kind of fault it opens. */
export const FAULT_STARTS: Readonly<Record<string, string>> = {
  'start-partition': 'partition',
  kill: 'kill',
  pause: 'pause',
  'bump-clock': 'clock',
  'strobe-clock': 'clock',
  'skew-clock': 'clock',
  'start-packet': 'packet',
  'start-split-vote': 'election',
  'start-cold-start': 'election',
};

/** Each stop `f`, the kind of fault it closes. */
export const FAULT_STOPS: Readonly<Record<string, string>> = {
  'stop-partition': 'partition',
  start: 'kill',
  resume: 'pause',
  'reset-clock': 'clock',
  'stop-packet': 'packet',
  'stop-split-vote': 'election',
  'stop-cold-start': 'election',
};
