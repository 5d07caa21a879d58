/**
 * The store's options as `harness test` takes them (`--n 3 --w 2 --r 2
 * --sloppy --resolve lww --expect session`), checked once into typed
 * settings, and what a configuration promises on the consistency ladder.
 */
import type { Level } from '../../checkers/consistency-ladder.js';
import { UsageError } from '../../harness/errors.js';
import type { TargetOptionSpec, TargetRunOptions } from '../../harness/target.js';
import { RESOLUTIONS, type Resolution } from './core/siblings.js';

/** Timings of every node, the same whatever is tested (see the README for why these). */
export const NODE_TIMINGS = {
  vnodes: 16,
  tickMs: 20,
  /** Half the harness' client timeout: a coordinator says what happened before its client gives up. */
  requestTimeoutMs: 500,
  gossipEveryMs: 200,
  downAfterMs: 1000,
  antiEntropyEveryMs: 1000,
  handoffEveryMs: 1000,
};

export const EXPECTATIONS = ['promised', 'strong', 'session', 'eventual', 'none'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const OPTIONS: readonly TargetOptionSpec[] = [
  { name: 'n', description: 'replicas of each key (N)', min: 1, default: '3' },
  { name: 'w', description: 'replicas a write waits for (W)', min: 1, default: '2' },
  { name: 'r', description: 'replicas a read waits for (R)', min: 1, default: '2' },
  {
    name: 'sloppy',
    description: 'sloppy quorums: writes and reads go to the first N nodes that are up, fallbacks hold writes for down homes and hand them off',
    choices: ['false', 'true'],
    flag: true,
    default: 'false',
  },
  {
    name: 'resolve',
    description: "vclock: concurrent writes are kept as siblings (vector clocks); lww: the write with the latest coordinator's wall-clock time wins",
    choices: RESOLUTIONS,
    default: 'vclock',
  },
  {
    name: 'expect',
    description: 'the consistency level whose violation fails the run: promised (what N, W, R and --sloppy promise), strong, session, eventual or none',
    choices: EXPECTATIONS,
    default: 'promised',
  },
];

export interface DynamoSettings {
  n: number;
  w: number;
  r: number;
  sloppy: boolean;
  resolution: Resolution;
  expect: Expectation;
}

function count(run: TargetRunOptions, name: 'n' | 'w' | 'r'): number {
  const raw = run.options[name] ?? OPTIONS.find((o) => o.name === name)!.default;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a whole number of at least 1; found ${raw}`);
  return v;
}

/** The settings of a run; a UsageError says what is wrong with them. */
export function settingsOf(run: TargetRunOptions): DynamoSettings {
  const [n, w, r] = [count(run, 'n'), count(run, 'w'), count(run, 'r')];
  if (w > n) throw new UsageError(`--w ${w} is more than --n ${n}: a write cannot wait for more replicas than a key has`);
  if (r > n) throw new UsageError(`--r ${r} is more than --n ${n}: a read cannot wait for more replicas than a key has`);
  return {
    n,
    w,
    r,
    sloppy: (run.options.sloppy ?? 'false') === 'true',
    resolution: (run.options.resolve ?? 'vclock') as Resolution,
    expect: (run.options.expect ?? 'promised') as Expectation,
  };
}

export function describeQuorums(s: DynamoSettings): string {
  return `N=${s.n} W=${s.w} R=${s.r}, ${s.sloppy ? 'sloppy' : 'strict'} quorums, ${s.resolution}`;
}

/**
 * What a configuration promises: strict quorums whose reads and writes
 * overlap (W + R > N) promise strong (quorum) reads, and with them the
 * session guarantees (reads repair before answering, contexts order a
 * session's writes); anything else promises eventual consistency only.
 * `--expect` overrides the promise.
 */
export function promiseOf(s: DynamoSettings): { level: Level; because: string } {
  if (s.expect !== 'promised') return { level: s.expect === 'none' ? 'weak' : s.expect, because: `--expect ${s.expect}` };
  if (!s.sloppy && s.w + s.r > s.n) return { level: 'strong', because: `${describeQuorums(s)}: W + R > N` };
  return { level: 'eventual', because: `${describeQuorums(s)}${s.sloppy ? ': sloppy quorums need not overlap' : ': W + R <= N'}` };
}
