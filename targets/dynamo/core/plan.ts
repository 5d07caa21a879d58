/**
 * Which nodes a request goes to, from a key's preference list and which
 * nodes are up:
 * - strict quorums: the key's N homes that are up; a write needs W of them
 *   up, a read R, or it is refused at once (certainly not done);
 * - sloppy quorums: the first N nodes of the preference list that are up;
 *   a fallback standing in for a home that is down gets the write with a
 *   hint naming that home.
 */

export interface QuorumSettings {
  n: number;
  w: number;
  r: number;
  sloppy: boolean;
}

export interface Target {
  node: string;
  /** The down home this fallback holds the write for (sloppy quorums only). */
  hintFor?: string;
}

export type Plan = { targets: Target[] } | { unavailable: string };

function chosen(list: readonly string[], q: QuorumSettings, isUp: (node: string) => boolean): Target[] {
  const homes = list.slice(0, q.n);
  if (!q.sloppy) return homes.filter(isUp).map((node) => ({ node }));
  const up = list.filter(isUp).slice(0, q.n);
  const downHomes = homes.filter((h) => !isUp(h));
  let nextHint = 0;
  return up.map((node) => (homes.includes(node) ? { node } : { node, hintFor: downHomes[nextHint++]! }));
}

function plan(list: readonly string[], q: QuorumSettings, need: number, what: 'W' | 'R', isUp: (node: string) => boolean): Plan {
  const targets = chosen(list, q, isUp);
  if (targets.length >= need) return { targets };
  const among = q.sloppy ? 'nodes of the preference list' : `of the ${q.n} replicas`;
  return { unavailable: `unavailable: ${targets.length} ${among} up, ${what}=${need} needed` };
}

export function writePlan(list: readonly string[], q: QuorumSettings, isUp: (node: string) => boolean): Plan {
  return plan(list, q, q.w, 'W', isUp);
}

export function readPlan(list: readonly string[], q: QuorumSettings, isUp: (node: string) => boolean): Plan {
  return plan(list, q, q.r, 'R', isUp);
}

/**
 * Whether reads must leave what they return on enough replicas before
 * answering (blocking read repair, as Cassandra does for quorum reads), and
 * on how many: with strict quorums and W + R > N, a read's result stored on
 * N - R + 1 replicas is seen by every later read, so reads are monotonic.
 * Without that promise, read repair runs in the background.
 */
export function blockingRepairTarget(q: QuorumSettings): number | undefined {
  return !q.sloppy && q.w + q.r > q.n ? q.n - q.r + 1 : undefined;
}
