/**
 * The cold-start election fault (`--nemesis election:cold-start`), for
 * leader-based targets: the whole cluster loses power and comes back on a
 * slow network, in two waves, the old leader first.
 *
 * Nodes keep their log and vote on disk but not how far the log was
 * committed, so the first leader after the restart knows less than its
 * predecessor told clients, and learns the rest only when a majority has
 * answered it. The choreography makes that take two slow round trips:
 *  1. the leader L is cut off from the others for a moment and keeps
 *     appending its clients' writes, which no other node will hold (an
 *     uncommitted tail);
 *  2. every node is killed; the partition is healed and every node's
 *     departures are delayed, so each round trip is long;
 *  3. L and a bare majority of the others start again: only L can win, since
 *     its log is the longest and every vote is needed; its first append is
 *     refused (the others lack the tail), so its commit index moves only
 *     after a second round trip, while the refusals already confirm its
 *     leadership;
 *  4. once there is a leader, the remaining nodes start.
 * A correct leader holds reads until an entry of its own term commits
 * (Raft's no-op); one that answers as soon as its leadership is confirmed
 * serves the state of its last snapshot, and acknowledged writes vanish
 * from reads.
 *
 * `stop-cold-start` clears the delay. Composed with `partition` or `packet`,
 * it heals and clears theirs too (heal and clearPackets act on every node).
 */
import type { Fault, NemesisContext } from '../nemesis.js';
import { choreographedFault, eachNode, healSteps, sleeperOf, waitUntil } from '../nemesis.js';
import { shuffle } from '../rng.js';

export interface ColdStartPlan {
  /** The leader when the power went out (any node if none led): cut off just before, started first. */
  leader: string;
  /** Started with the leader: with it, a bare majority. */
  firstWave: string[];
  /** Started once the first wave has a leader. */
  secondWave: string[];
  /** Delay of every node's departures: a round trip between nodes is twice this. */
  delayMs: number;
}

export interface ColdStartTimings {
  /**
   * 100 ms each way: a 200 ms round trip, far longer than a loaded node takes
   * to answer, yet under election timeouts of a few hundred ms and under
   * clock-offset checks that would take a later message for a stray clock.
   */
  delayMs: number;
  /** How long the leader is cut off before the power goes: it appends writes it cannot replicate. Under an election timeout. */
  tailMs: number;
  /** At most this long for the first wave to elect a leader before the second wave starts anyway. */
  firstWaveMs: number;
}

export const DEFAULT_COLD_START_TIMINGS: ColdStartTimings = { delayMs: 100, tailMs: 100, firstWaveMs: 3000 };

/** Who comes back when. Pure. */
export function coldStartPlan(nodes: readonly string[], leader: string | undefined, rng: () => number, delayMs: number): ColdStartPlan {
  if (nodes.length < 3) throw new Error('a cold start needs at least 3 nodes');
  const l = leader !== undefined && nodes.includes(leader) ? leader : nodes[Math.floor(rng() * nodes.length)]!;
  const others = shuffle(rng, nodes.filter((n) => n !== l));
  const quorum = Math.floor(nodes.length / 2) + 1;
  return { leader: l, firstWave: others.slice(0, quorum - 1).sort(), secondWave: others.slice(quorum - 1).sort(), delayMs };
}

export function coldStartFault(ctx: NemesisContext, timings: ColdStartTimings = DEFAULT_COLD_START_TIMINGS): Fault {
  const sleep = sleeperOf(ctx);
  const p = ctx.provisioner;
  const startAll = (nodes: readonly string[]) =>
    eachNode(nodes.filter((n) => !p.isRunning(n)), 'start', (n) => ctx.restart(n));

  return choreographedFault('election', 'cold-start', {
    async perform() {
      const plan = coldStartPlan(ctx.nodes, await ctx.leader(), ctx.rng, timings.delayMs);
      const others = [...plan.firstWave, ...plan.secondWave];
      let elected = false;
      try {
        try {
          await p.partition(new Map([[plan.leader, new Set(others)], ...others.map((n): [string, Set<string>] => [n, new Set([plan.leader])])]));
          await sleep(timings.tailMs);
          await eachNode([plan.leader, ...others], 'kill', (n) => p.kill(n, 'SIGKILL'));
        } finally {
          await p.heal();
        }
        await p.packet(ctx.nodes, { delayMs: plan.delayMs });
        await startAll([plan.leader, ...plan.firstWave]);
        elected = await waitUntil(async () => (await ctx.leader()) !== undefined, timings.firstWaveMs, sleep, 20);
      } finally {
        await startAll(ctx.nodes);
      }
      return { ...plan, elected };
    },
    async undo() {
      await p.clearPackets();
      return 'cleared';
    },
    heal: () =>
      healSteps([
        ['start the cold-started nodes', () => startAll(ctx.nodes)],
        ['heal the cold-start partition', () => p.heal()],
        ['clear the cold-start delay', () => p.clearPackets()],
      ]),
  });
}
