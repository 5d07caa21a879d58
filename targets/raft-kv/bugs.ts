/**
 * The planted bugs: names, what each breaks, the harness options that expose
 * it, and the switches it turns on in the core, the replica and the storage.
 */
import type { BugSpec } from '../../harness/target.js';
import type { CoreBugs } from './raft/core.js';

export const BUG_NAMES = ['stale-read', 'no-fsync', 'forget-vote', 'commit-old-term', 'lease-no-margin'] as const;
export type BugName = (typeof BUG_NAMES)[number];

export function isBugName(x: string): x is BugName {
  return (BUG_NAMES as readonly string[]).includes(x);
}

/** Every switch a set of bugs flips. */
export interface BugSwitches {
  core: CoreBugs;
  /** Any node answers reads from its own applied state. */
  localReads: boolean;
  /** Storage acknowledges writes from a user-space buffer flushed lazily, without fsync. */
  lazyStorage: boolean;
}

export function bugSwitches(names: readonly BugName[]): BugSwitches {
  const on = (n: BugName) => names.includes(n);
  return {
    core: { forgetVote: on('forget-vote'), commitOldTerm: on('commit-old-term'), leaseNoMargin: on('lease-no-margin') },
    localReads: on('stale-read'),
    lazyStorage: on('no-fsync'),
  };
}

export const BUGS: readonly (BugSpec & { name: BugName })[] = [
  {
    name: 'stale-read',
    description:
      'Every node, follower or deposed leader, answers reads from its own applied state instead of going through the leader. A node cut off by a partition keeps serving old values.',
    options: ['--workload', 'register', '--nemesis', 'partition', '--nemesis-interval', '3', '--time-limit', '60'],
    finds: { checker: 'linearizable', anomaly: 'NOT linearizable' },
  },
  {
    name: 'no-fsync',
    description:
      'Log appends and votes sit in a user-space buffer that is written out every 2 s without fsync, yet are acknowledged at once. Killing every node loses the acknowledged writes of the last seconds (kill -9 drops the buffer, not the page cache).',
    options: ['--workload', 'set', '--nemesis', 'kill:all', '--nemesis-interval', '3', '--time-limit', '60'],
    finds: { checker: 'set', anomaly: 'lost' },
  },
  {
    name: 'forget-vote',
    description:
      'votedFor is not persisted, so a node killed and restarted during an election can vote a second time in the same term: two leaders in one term, divergent commits.',
    // The split-vote choreography bounces a voter while its first vote is on the wire; three nodes, so each side is one candidate.
    options: ['--workload', 'set', '--nodes', '3', '--nemesis', 'election:split-vote', '--nemesis-interval', '3', '--time-limit', '60'],
    finds: { checker: 'set', anomaly: 'lost' },
  },
  {
    name: 'commit-old-term',
    description:
      'The leader commits entries of earlier terms by counting replicas (the Figure 8 rule ignored), appends no no-op on election, and serves reads before anything of its own term has committed. An entry it reported committed can be overwritten by a later leader; and a leader elected after a whole-cluster restart, which has not yet heard from a majority what was committed, answers reads from its last snapshot, so acknowledged writes vanish from reads.',
    // The cold-start choreography restarts every node on a slow network, the old leader first with an uncommitted tail: two 200 ms round trips of stale reads.
    options: ['--workload', 'register', '--read-mode', 'read-index', '--nemesis', 'election:cold-start', '--nemesis-interval', '3', '--time-limit', '30'],
    finds: { checker: 'linearizable', anomaly: 'NOT linearizable' },
  },
  {
    name: 'lease-no-margin',
    description:
      'Lease reads last the full minimum election timeout measured on the leader\u2019s wall clock, with no drift margin and no check for the clock stepping back. A leader whose clock is set back or runs slow is cut off by its peers\u2019 clock-offset guard and replaced, yet keeps serving reads from its stale lease after the new leader has committed writes; trusting its lease, it also skips the check-quorum step-down while the lease seems to hold.',
    // Plain clock faults: in lease mode raft-kv makes them leader rewinds (rewind-primary; see index.ts).
    options: ['--workload', 'register', '--read-mode', 'lease', '--nemesis', 'clock'],
    finds: { checker: 'linearizable', anomaly: 'NOT linearizable' },
  },
];
