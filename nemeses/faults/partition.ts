/** The partition fault: start-partition with a topology's grudge, stop-partition heals. */
import { toObject } from '../grudge.js';
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { errorText } from '../nemesis.js';
import { pick } from '../rng.js';
import { one, primaries, topology, type TopologyName } from '../topologies.js';

export function partitionFault(ctx: NemesisContext, topologies: readonly TopologyName[]): Fault {
  return {
    name: 'partition',
    fs: ['start-partition', 'stop-partition'],
    start(): NemesisOp {
      const t = pick(ctx.rng, topologies);
      // The leader is only known at invoke time; the grudge of `primaries` is decided there.
      if (t === 'primaries') return { f: 'start-partition', value: { topology: t } };
      return { f: 'start-partition', value: { topology: t, grudge: toObject(topology(t, ctx.nodes, ctx.rng)) } };
    },
    stop: () => ({ f: 'stop-partition', value: null }),
    async invoke(op) {
      if (op.f === 'stop-partition') {
        await ctx.provisioner.heal();
        return 'healed';
      }
      const v = op.value as { topology: TopologyName; grudge?: Record<string, string[]> };
      if (v.topology === 'primaries') {
        const leader = await ctx.leader();
        const grudge = leader === undefined ? one(ctx.nodes, ctx.rng) : primaries(ctx.nodes, leader);
        await ctx.provisioner.partition(grudge);
        return leader === undefined
          ? { topology: 'one', requested: 'primaries', reason: 'no leader known', grudge: toObject(grudge) }
          : { topology: 'primaries', leader, grudge: toObject(grudge) };
      }
      const grudge = new Map(Object.entries(v.grudge ?? {}).map(([n, d]) => [n, new Set(d)]));
      await ctx.provisioner.partition(grudge);
      return v;
    },
    async heal() {
      try {
        await ctx.provisioner.heal();
        return [];
      } catch (e) {
        return [`heal partitions: ${errorText(e)}`];
      }
    },
  };
}
