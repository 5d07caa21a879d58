/**
 * The split-vote election fault (`--nemesis election`), for leader-based
 * targets: it arranges the one moment a voter's durable vote exists for, a
 * voter restarted while its first vote is still on the wire and a second
 * candidate of the same term is still asking.
 *
 * `start-split-vote`:
 *  1. V (never the leader) is killed; the others go on without it, so its log
 *     falls behind theirs;
 *  2. a bridge partition: the others split into two sides that cannot hear
 *     each other, and V, once back, hears both; V stays down until no side
 *     has a leader (each side is a minority without V);
 *  3. V is restarted and frozen (SIGSTOP) as soon as it listens, so that the
 *     pre-votes of both sides queue up in its sockets; its departures are
 *     delayed (packet delay) so its answers are on the wire for a while;
 *  4. V is thawed: it answers both sides' pre-votes at once, both sides
 *     campaign in the same term, V votes for one, and while that vote is
 *     still in flight V is killed and restarted.
 * A correct node remembers its vote and turns the second candidate down; a
 * node that forgets it votes twice, and both sides then lead in one term.
 * `stop-split-vote` heals the partition and clears the delay (all partitions
 * and packet faults: composed with `partition` or `packet`, each heals the
 * other's too).
 */
import type { Fault, NemesisContext } from '../nemesis.js';
import { choreographedFault, healSteps, realSleep, sleeperOf, waitUntil } from '../nemesis.js';
import { shuffle } from '../rng.js';

export interface SplitVotePlan {
  voter: string;
  sides: [string[], string[]];
  /** Delay of V's departures; the kill comes while its vote is in flight. */
  delayMs: number;
}

export interface SplitVoteTimings {
  /** Long enough for a leader cut off from V to step down (a few election timeouts). */
  leaderlessMs: number;
  /** How long V stays frozen while pre-votes queue up. */
  frozenMs: number;
  delayMs: number;
}

export const DEFAULT_SPLIT_VOTE_TIMINGS: SplitVoteTimings = { leaderlessMs: 800, frozenMs: 700, delayMs: 30 };

/**
 * After V thaws, its pre-vote answers need a connection (one delay for the
 * SYN-ACK) and a delay of their own; the candidates' vote requests reach it
 * at once; its vote then travels for one more delay. The kill lands in the
 * middle of that last delay.
 */
export function killAfterThawMs(delayMs: number): number {
  return 2 * delayMs + 20 + Math.round(delayMs / 2);
}

/** V is any node but the leader; the rest split in two as evenly as possible. Pure. */
export function splitVotePlan(nodes: readonly string[], leader: string | undefined, rng: () => number, delayMs: number): SplitVotePlan {
  if (nodes.length < 3) throw new Error('a split vote needs at least 3 nodes');
  const candidates = nodes.filter((n) => n !== leader);
  const voter = candidates[Math.floor(rng() * candidates.length)]!;
  const rest = shuffle(rng, nodes.filter((n) => n !== voter));
  const half = Math.ceil(rest.length / 2);
  return { voter, sides: [rest.slice(0, half).sort(), rest.slice(half).sort()], delayMs };
}

export function splitVoteFault(ctx: NemesisContext, timings: SplitVoteTimings = DEFAULT_SPLIT_VOTE_TIMINGS): Fault {
  const sleep = sleeperOf(ctx);
  const p = ctx.provisioner;
  /** The voter, while this fault may have left it down or frozen. */
  let touched: string | undefined;

  return choreographedFault('election', 'split-vote', {
    async perform() {
      const plan = splitVotePlan(ctx.nodes, await ctx.leader(), ctx.rng, timings.delayMs);
      const { voter, sides } = plan;
      touched = voter;
      const grudge = new Map<string, Set<string>>([[voter, new Set()]]);
      for (const n of sides[0]) grudge.set(n, new Set(sides[1]));
      for (const n of sides[1]) grudge.set(n, new Set(sides[0]));
      // Kill V first: the others keep committing without it, so V's log is
      // behind both sides' and it can grant both their pre-votes later.
      await p.kill(voter, 'SIGKILL');
      await p.partition(grudge);
      await sleep(timings.leaderlessMs);
      await ctx.restart(voter);
      const listening = await waitUntil(() => ctx.listening(voter), 5000, realSleep, 2);
      await p.pause(voter);
      try {
        await p.packet([voter], { delayMs: timings.delayMs });
        await sleep(timings.frozenMs);
      } finally {
        await p.resume(voter);
      }
      await sleep(killAfterThawMs(timings.delayMs));
      await p.kill(voter, 'SIGKILL');
      await ctx.restart(voter);
      touched = undefined;
      return { ...plan, listening };
    },
    async undo() {
      await p.heal();
      await p.clearPackets();
      return 'healed';
    },
    async heal() {
      const voter = touched;
      touched = undefined;
      return healSteps([
        ...(voter
          ? ([
              [`resume ${voter}`, () => p.resume(voter)],
              [`restart ${voter}`, async () => (p.isRunning(voter) ? undefined : ctx.restart(voter))],
            ] as const)
          : []),
        ['heal the split-vote partition', () => p.heal()],
        ['clear the split-vote delay', () => p.clearPackets()],
      ]);
    },
  });
}
