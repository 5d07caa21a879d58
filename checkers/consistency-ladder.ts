/**
 * The consistency ladder of leaderless stores: strong (quorum reads see
 * every write acknowledged before they began) > session (read-your-writes,
 * monotonic reads, monotonic writes, writes follow reads) > eventual
 * (replicas converge and keep every acknowledged write) > weak.
 *
 * From the verdicts of the checks of each level, the highest level that
 * held: climbing from eventual, each level checked must have held; a level
 * not checked is stepped over (and said). A level the store promised (and
 * every level below it) that was checked and broken makes the ladder
 * invalid; a level not promised is reported, not failed.
 */

export const LEVELS = ['weak', 'eventual', 'session', 'strong'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  weak: 'weak (not even eventually consistent)',
  eventual: 'eventually consistent',
  session: 'session consistent',
  strong: 'strongly consistent (quorum reads)',
};

const SHORT: Readonly<Record<Level, string>> = { weak: 'weak', eventual: 'eventually consistent', session: 'session consistent', strong: 'strongly consistent' };

export interface LevelCheck {
  verdict: true | false | 'unknown';
  /** What broke it, in a few words ("12 read-your-writes violations"). */
  violations?: string;
}

export interface LadderInput {
  checks: Partial<Record<Exclude<Level, 'weak'>, LevelCheck>>;
  /** The level the store promised (or the user asked for); every level below it is promised too. */
  promised: Level;
  /** Why that level ("N=3 W=2 R=2 with strict quorums"). */
  promisedBecause: string;
}

export interface LevelOutcome {
  level: Exclude<Level, 'weak'>;
  checked: boolean;
  verdict?: true | false | 'unknown';
  violations?: string;
  promised: boolean;
}

export interface LadderResult {
  valid: true | false | 'unknown';
  /** The highest level that held. */
  highest: Level;
  promised: Level;
  promisedBecause: string;
  levels: LevelOutcome[];
  /** Promised levels that were checked and broken. */
  broken: Exclude<Level, 'weak'>[];
  /** One sentence: "behaved as eventually consistent, not session consistent: 12 read-your-writes violations". */
  line: string;
}

const rank = (l: Level) => LEVELS.indexOf(l);

export function climbLadder(input: LadderInput): LadderResult {
  const levels: LevelOutcome[] = (['eventual', 'session', 'strong'] as const).map((level) => {
    const c = input.checks[level];
    return {
      level,
      checked: c !== undefined,
      ...(c ? { verdict: c.verdict } : {}),
      ...(c?.violations ? { violations: c.violations } : {}),
      promised: rank(level) <= rank(input.promised),
    };
  });
  let highest: Level = 'weak';
  let stoppedAt: LevelOutcome | undefined;
  for (const l of levels) {
    if (!l.checked) continue;
    if (l.verdict !== true) {
      stoppedAt = l;
      break;
    }
    highest = l.level;
  }
  const broken = levels.filter((l) => l.promised && l.verdict === false).map((l) => l.level);
  const failedAbove = levels.filter((l) => l.verdict === false && l !== stoppedAt);
  const notChecked = levels.filter((l) => !l.checked).map((l) => l.level);
  let line = `behaved as ${SHORT[highest]}`;
  if (stoppedAt) line += stoppedAt.verdict === false ? `, not ${SHORT[stoppedAt.level]}: ${stoppedAt.violations ?? 'broken'}` : ` (${SHORT[stoppedAt.level]}: could not tell)`;
  for (const l of failedAbove) line += `; not ${SHORT[l.level]} either: ${l.violations ?? 'broken'}`;
  if (notChecked.length > 0) line += `; ${notChecked.map((l) => SHORT[l]).join(', ')} not checked by this workload`;
  line += broken.length > 0 ? `. Promised ${SHORT[input.promised]} (${input.promisedBecause}): broken` : `. Promised: ${SHORT[input.promised]} (${input.promisedBecause})`;
  const anyChecked = levels.some((l) => l.checked && l.verdict !== 'unknown');
  return {
    valid: broken.length > 0 ? false : anyChecked ? true : 'unknown',
    highest,
    promised: input.promised,
    promisedBecause: input.promisedBecause,
    levels,
    broken,
    line,
  };
}
