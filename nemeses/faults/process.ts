/**
 * Process faults: `kill` (SIGKILL, then `start` restarts them) and `pause`
 * (SIGSTOP, then `resume` with SIGCONT) of one node, a minority, a majority,
 * all, or the primary (the leader the target names when the fault is performed).
 */
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { eachNode, healSteps } from '../nemesis.js';
import { pick } from '../rng.js';
import { drawTargets, type Targets, type TargetMode } from '../targets.js';

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

/** The nodes a start names: `primaries` is the leader now (with none known, any node). */
async function resolveTargets(ctx: NemesisContext, targets: Targets): Promise<string[]> {
  if (targets !== 'primaries') return targets;
  return [(await ctx.leader()) ?? pick(ctx.rng, ctx.nodes)];
}

function processFault(ctx: NemesisContext, modes: readonly TargetMode[], a: ProcessAction): Fault {
  const touched = new Set<string>();
  /** Nodes the last start acted on, which its stop undoes. */
  let last: string[] = [];
  return {
    name: a.name,
    fs: [a.start, a.stop],
    start: (): NemesisOp => ({ f: a.start, value: drawTargets(modes, ctx.nodes, ctx.rng) }),
    stop: (): NemesisOp => ({ f: a.stop, value: last }),
    async invoke(op) {
      if (op.f === a.start) {
        const nodes = await resolveTargets(ctx, op.value as Targets);
        last = [];
        return eachNode(nodes, a.start, async (n) => {
          touched.add(n);
          await a.apply(n);
          last.push(n);
        });
      }
      return eachNode((op.value as string[]).filter((n) => a.needsUndo(n)), a.stop, async (n) => {
        await a.undo(n);
        touched.delete(n);
      });
    },
    async heal() {
      last = [];
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
