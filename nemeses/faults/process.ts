/**
 * Process faults: `kill` (SIGKILL, then `start` restarts them) and `pause`
 * (SIGSTOP, then `resume` with SIGCONT) of one node, a minority, a majority or all.
 */
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { eachNode, errorText } from '../nemesis.js';
import { chooseTargets, type TargetMode } from '../targets.js';

export function killFault(ctx: NemesisContext, modes: readonly TargetMode[]): Fault {
  const down = new Set<string>();
  let pending: string[] = [];
  return {
    name: 'kill',
    fs: ['kill', 'start'],
    next(): NemesisOp {
      if (pending.length) {
        const nodes = pending;
        pending = [];
        return { f: 'start', value: nodes };
      }
      pending = chooseTargets(modes, ctx.nodes, ctx.rng).nodes;
      return { f: 'kill', value: pending };
    },
    async invoke(op) {
      const nodes = op.value as string[];
      if (op.f === 'kill') {
        return eachNode(nodes, 'kill', async (n) => {
          down.add(n);
          await ctx.provisioner.kill(n, 'SIGKILL');
        });
      }
      // A node that is running already (its kill never happened, or healAll restarted it) is left alone.
      const stopped = nodes.filter((n) => !ctx.provisioner.isRunning(n));
      return eachNode(stopped, 'start', async (n) => {
        await ctx.restart(n);
        down.delete(n);
      });
    },
    async heal() {
      pending = [];
      const errors: string[] = [];
      for (const n of [...down].sort()) {
        try {
          if (!ctx.provisioner.isRunning(n)) await ctx.restart(n);
          down.delete(n);
        } catch (e) {
          errors.push(`restart ${n}: ${errorText(e)}`);
        }
      }
      return errors;
    },
  };
}

export function pauseFault(ctx: NemesisContext, modes: readonly TargetMode[]): Fault {
  const paused = new Set<string>();
  let pending: string[] = [];
  return {
    name: 'pause',
    fs: ['pause', 'resume'],
    next(): NemesisOp {
      if (pending.length) {
        const nodes = pending;
        pending = [];
        return { f: 'resume', value: nodes };
      }
      pending = chooseTargets(modes, ctx.nodes, ctx.rng).nodes;
      return { f: 'pause', value: pending };
    },
    async invoke(op) {
      const nodes = op.value as string[];
      if (op.f === 'pause') {
        return eachNode(nodes, 'pause', async (n) => {
          paused.add(n);
          await ctx.provisioner.pause(n);
        });
      }
      return eachNode(nodes, 'resume', async (n) => {
        await ctx.provisioner.resume(n);
        paused.delete(n);
      });
    },
    async heal() {
      pending = [];
      const errors: string[] = [];
      // Every node, not only those we remember: SIGCONT to a running process is harmless.
      for (const n of ctx.nodes) {
        try {
          await ctx.provisioner.resume(n);
          paused.delete(n);
        } catch (e) {
          errors.push(`resume ${n}: ${errorText(e)}`);
        }
      }
      return errors;
    },
  };
}
