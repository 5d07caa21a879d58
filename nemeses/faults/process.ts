/**
 * Process faults: `kill` (SIGKILL, then `start` restarts them) and `pause`
 * (SIGSTOP, then `resume` with SIGCONT) of one node, a minority, a majority or all.
 */
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { eachNode, healSteps } from '../nemesis.js';
import { chooseTargets, type TargetMode } from '../targets.js';

/** What sets one process fault apart from the other. */
interface ProcessAction {
  name: string;
  /** The `f` of the fault's start and stop operations. */
  start: string;
  stop: string;
  apply(node: string): Promise<void>;
  undo(node: string): Promise<void>;
  /** Whether a node named by a stop still needs undoing. */
  needsUndo(node: string): boolean;
  /** The nodes heal() undoes, given those this fault touched and has not undone. */
  healTargets(touched: ReadonlySet<string>): string[];
}

function processFault(ctx: NemesisContext, modes: readonly TargetMode[], a: ProcessAction): Fault {
  const touched = new Set<string>();
  let pending: string[] = [];
  return {
    name: a.name,
    fs: [a.start, a.stop],
    next(): NemesisOp {
      if (pending.length) {
        const nodes = pending;
        pending = [];
        return { f: a.stop, value: nodes };
      }
      pending = chooseTargets(modes, ctx.nodes, ctx.rng).nodes;
      return { f: a.start, value: pending };
    },
    async invoke(op) {
      const nodes = op.value as string[];
      if (op.f === a.start) {
        return eachNode(nodes, a.start, async (n) => {
          touched.add(n);
          await a.apply(n);
        });
      }
      return eachNode(nodes.filter((n) => a.needsUndo(n)), a.stop, async (n) => {
        await a.undo(n);
        touched.delete(n);
      });
    },
    async heal() {
      pending = [];
      return healSteps(
        a.healTargets(touched).map((n) => [
          `${a.stop} ${n}`,
          async () => {
            await a.undo(n);
            touched.delete(n);
          },
        ]),
      );
    },
  };
}

export function killFault(ctx: NemesisContext, modes: readonly TargetMode[]): Fault {
  const p = ctx.provisioner;
  return processFault(ctx, modes, {
    name: 'kill',
    start: 'kill',
    stop: 'start',
    apply: (n) => p.kill(n, 'SIGKILL'),
    undo: async (n) => {
      if (!p.isRunning(n)) await ctx.restart(n);
    },
    // A node that is running already (its kill never happened, or healAll restarted it) is left alone.
    needsUndo: (n) => !p.isRunning(n),
    healTargets: (touched) => [...touched].sort(),
  });
}

export function pauseFault(ctx: NemesisContext, modes: readonly TargetMode[]): Fault {
  const p = ctx.provisioner;
  return processFault(ctx, modes, {
    name: 'pause',
    start: 'pause',
    stop: 'resume',
    apply: (n) => p.pause(n),
    undo: (n) => p.resume(n),
    needsUndo: () => true,
    // Every node, not only those touched: SIGCONT to a running process is harmless.
    healTargets: () => [...ctx.nodes],
  });
}
