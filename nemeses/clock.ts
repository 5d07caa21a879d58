/**
 * Decisions of the clock nemesis: which nodes, by how much. Pure.
 */
import { CLOCK_FAULTS, type ClockFaultName } from '../harness/fault-kinds.js';
import { logUniform, pick, randInt, shuffle, type Rng } from './rng.js';

export { CLOCK_FAULTS, type ClockFaultName };

export interface ClockLimits {
  /** Bumps and strobes move a clock by 10 ms .. maxOffsetMs, either way (log-uniform). */
  maxOffsetMs: number;
  /** How long a strobe flips a clock back and forth. */
  strobeDurationMs: number;
  /** How often a strobe flips. */
  strobePeriodMs: number;
  /** Skewed clocks run at a rate in [1/maxRate, maxRate] (never 1). */
  maxRate: number;
}

export const DEFAULT_CLOCK_LIMITS: ClockLimits = {
  maxOffsetMs: 60_000,
  strobeDurationMs: 5_000,
  strobePeriodMs: 100,
  maxRate: 4,
};

/** A non-empty random subset of the nodes, sorted. */
export function someNodes(nodes: readonly string[], rng: Rng): string[] {
  return shuffle(rng, nodes).slice(0, randInt(rng, 1, nodes.length)).sort();
}

/** A signed offset whose magnitude is log-uniform in [10 ms, max]. */
export function randomOffsetMs(rng: Rng, maxOffsetMs: number): number {
  const magnitude = Math.round(logUniform(rng, 10, Math.max(10, maxOffsetMs)));
  return rng() < 0.5 ? -magnitude : magnitude;
}

/** `{node: offsetMs}` for a bump of some nodes. */
export function bumpPlan(nodes: readonly string[], rng: Rng, limits = DEFAULT_CLOCK_LIMITS): Record<string, number> {
  return Object.fromEntries(someNodes(nodes, rng).map((n) => [n, randomOffsetMs(rng, limits.maxOffsetMs)]));
}

export interface StrobePlan {
  nodes: string[];
  /** The clock alternates between real time and real time + deltaMs. */
  deltaMs: number;
  periodMs: number;
  durationMs: number;
}

export function strobePlan(nodes: readonly string[], rng: Rng, limits = DEFAULT_CLOCK_LIMITS): StrobePlan {
  return {
    nodes: someNodes(nodes, rng),
    deltaMs: randomOffsetMs(rng, limits.maxOffsetMs),
    periodMs: limits.strobePeriodMs,
    durationMs: limits.strobeDurationMs,
  };
}

/** `{node: rate}` for a rate skew of some nodes: fast or slow, log-uniform, rounded to 3 digits. */
export function skewPlan(nodes: readonly string[], rng: Rng, limits = DEFAULT_CLOCK_LIMITS): Record<string, number> {
  return Object.fromEntries(
    someNodes(nodes, rng).map((n) => {
      const factor = logUniform(rng, 1.1, Math.max(1.1, limits.maxRate));
      const rate = Math.round((rng() < 0.5 ? factor : 1 / factor) * 1000) / 1000;
      return [n, rate];
    }),
  );
}

/**
 * Faults aimed at whoever leads when the fault is performed (leadership
 * moves, so the node is chosen then): the faults leader leases are exposed to.
 * - slow-primary: the leader's clock runs slow;
 * - rewind-primary: the leader's clock is set back by REWIND_MIN_MS to
 *   maxOffsetMs (log-uniform): past the few hundred ms of offset a cluster
 *   tolerates between its nodes, so the step is one the cluster notices, and
 *   long enough to outlast the failover it causes (an election timeout and a
 *   round of votes, a second or so in common configurations), so a lease
 *   measured on that clock is still running when the new leader takes writes.
 */
export const REWIND_MIN_MS = 2000;

export interface RewindPrimaryPlan {
  target: 'primary';
  offsetMs: number;
}

export function rewindPrimaryPlan(rng: Rng, limits = DEFAULT_CLOCK_LIMITS): RewindPrimaryPlan {
  return { target: 'primary', offsetMs: -Math.round(logUniform(rng, REWIND_MIN_MS, Math.max(REWIND_MIN_MS, limits.maxOffsetMs))) };
}

/**
 * The current leader's clock runs slow, at a rate log-uniform in
 * [1/maxRate, 1/2]: the fault that leader leases are most exposed to (a
 * lease measured on a slow clock outlives the followers' patience). The
 * node is chosen when the fault is performed, since leadership moves.
 */
export interface SlowPrimaryPlan {
  target: 'primary';
  rate: number;
}

export function slowPrimaryPlan(rng: Rng, limits = DEFAULT_CLOCK_LIMITS): SlowPrimaryPlan {
  const factor = logUniform(rng, 2, Math.max(2, limits.maxRate));
  return { target: 'primary', rate: Math.round((1 / factor) * 1000) / 1000 };
}

export function chooseClockFault(rng: Rng, allowed: readonly ClockFaultName[]): ClockFaultName {
  return pick(rng, allowed);
}
