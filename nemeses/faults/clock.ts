/**
 * Clock faults through the provisioner's clock shim: `bump-clock` (some
 * nodes jump by a random offset), `strobe-clock` (some nodes flip between
 * real time and an offset for a while), `skew-clock` (some nodes' clocks run
 * fast or slow), each followed by `reset-clock`. Offsets and rates are
 * recorded in the history.
 */
import {
  bumpPlan,
  rewindPrimaryPlan,
  chooseClockFault,
  DEFAULT_CLOCK_LIMITS,
  skewPlan,
  slowPrimaryPlan,
  strobePlan,
  type RewindPrimaryPlan,
  type ClockFaultName,
  type SlowPrimaryPlan,
  type StrobePlan,
} from '../clock.js';
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { eachNode, errorText, sleeperOf } from '../nemesis.js';

/** A plan aimed at the leader, resolved when performed. */
function aimsAtPrimary(plan: object): plan is SlowPrimaryPlan | RewindPrimaryPlan {
  return (plan as { target?: unknown }).target === 'primary';
}

export function clockFault(ctx: NemesisContext, allowed: readonly ClockFaultName[]): Fault {
  const limits = { ...DEFAULT_CLOCK_LIMITS, ...ctx.clock };
  const sleep = sleeperOf(ctx);
  /** Whoever leads now (with no leader, any node). */
  const primary = async () => (await ctx.leader()) ?? ctx.nodes[Math.floor(ctx.rng() * ctx.nodes.length)]!;
  return {
    name: 'clock',
    fs: ['bump-clock', 'strobe-clock', 'skew-clock', 'reset-clock'],
    stop: () => ({ f: 'reset-clock', value: [...ctx.nodes].sort() }),
    start(): NemesisOp {
      switch (chooseClockFault(ctx.rng, allowed)) {
        case 'bump':
          return { f: 'bump-clock', value: bumpPlan(ctx.nodes, ctx.rng, limits) };
        case 'strobe':
          return { f: 'strobe-clock', value: strobePlan(ctx.nodes, ctx.rng, limits) };
        case 'skew':
          return { f: 'skew-clock', value: skewPlan(ctx.nodes, ctx.rng, limits) };
        case 'slow-primary':
          return { f: 'skew-clock', value: slowPrimaryPlan(ctx.rng, limits) };
        case 'rewind-primary':
          return { f: 'bump-clock', value: rewindPrimaryPlan(ctx.rng, limits) };
      }
    },
    async invoke(op) {
      const p = ctx.provisioner;
      switch (op.f) {
        case 'bump-clock': {
          const given = op.value as Record<string, number> | RewindPrimaryPlan;
          const plan = aimsAtPrimary(given) ? { [await primary()]: given.offsetMs } : given;
          await eachNode(Object.keys(plan), 'bump clock of', (n) => p.clock(n, { offsetMs: plan[n]!, rate: 1 }));
          return plan;
        }
        case 'skew-clock': {
          const given = op.value as Record<string, number> | SlowPrimaryPlan;
          const rates = aimsAtPrimary(given) ? { [await primary()]: (given as SlowPrimaryPlan).rate } : given;
          await eachNode(Object.keys(rates), 'skew clock of', (n) => p.clock(n, { offsetMs: 0, rate: rates[n]! }));
          return rates;
        }
        case 'strobe-clock': {
          const plan = op.value as StrobePlan;
          const end = Date.now() + plan.durationMs;
          let flips = 0;
          let on = false;
          try {
            while (Date.now() < end) {
              on = !on;
              await Promise.all(plan.nodes.map((n) => p.clock(n, { offsetMs: on ? plan.deltaMs : 0, rate: 1 })));
              flips++;
              await sleep(plan.periodMs);
            }
          } finally {
            await Promise.all(plan.nodes.map((n) => p.clock(n, { offsetMs: 0, rate: 1 })));
          }
          return { ...plan, flips };
        }
        case 'reset-clock':
          await p.resetClocks();
          return op.value;
        default:
          throw new Error(`the clock nemesis has no operation ${op.f}`);
      }
    },
    async heal() {
      try {
        await ctx.provisioner.resetClocks();
        return [];
      } catch (e) {
        return [`reset clocks: ${errorText(e)}`];
      }
    },
  };
}
