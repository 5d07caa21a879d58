/**
 * The shapes shared by nemeses: operations as they appear in the history
 * (process 'nemesis'), the context a nemesis acts through, and the faults,
 * each a start and a stop, that a Nemesis composes. The runner runs each
 * fault on its own schedule (harness/runner/nemesis-worker.ts), so a fault's
 * duration does not depend on what the others draw.
 */
import type { PacketFaultKind, Provisioner } from '../harness/provision/types.js';
import type { ClockFaultName, ClockLimits } from './clock.js';
import type { Rng } from './rng.js';

/** A fault operation: `f` and `value` as recorded in the history. */
export interface NemesisOp {
  f: string;
  value: unknown;
}

export interface NemesisContext {
  provisioner: Provisioner;
  /** Node names of the cluster. */
  nodes: readonly string[];
  /** Seeded, so the schedule is reproducible. */
  rng: Rng;
  /** The node that currently leads (the target's first primary), when the target can tell; for the `primaries` variants. */
  leader(): Promise<string | undefined>;
  /** Start a node again after a kill (the runner knows its launch). */
  restart(node: string): Promise<void>;
  /** Whether the node accepts connections on its client port (it has started listening). */
  listening(node: string): Promise<boolean>;
  /**
   * Packet faults this machine supports (`await provisioner.packetSupport?.()`);
   * when given, the packet nemesis only chooses among them.
   */
  packetKinds?: ReadonlySet<PacketFaultKind>;
  /** Bounds of clock faults. */
  clock?: Partial<ClockLimits>;
  /** The clock faults a plain `clock` draws from (the target's choice); default every kind. */
  clockFaults?: readonly ClockFaultName[];
  /** How to wait (strobe); defaults to setTimeout. */
  sleep?(ms: number): Promise<void>;
}

/**
 * One kind of fault: a start (drawn with the fault's seeded randomness) and
 * the stop that undoes what the last start did.
 */
export interface Fault {
  readonly name: string;
  /** Every `f` this fault can produce. */
  readonly fs: readonly string[];
  /** A new start operation (which nodes, how much), drawn now. */
  start(): NemesisOp;
  /** The operation that undoes what the last start did. */
  stop(): NemesisOp;
  /**
   * Perform an operation; resolves with what was actually done. Rejects
   * when nothing was done, and with a PartialFaultError when some of it was.
   */
  invoke(op: NemesisOp): Promise<unknown>;
  /** Undo whatever this fault still has in effect; resolves with the errors met, never rejects. */
  heal(): Promise<string[]>;
}

export interface Nemesis {
  /** The nemesis names it was built from, e.g. ['partition', 'kill']. */
  readonly names: readonly string[];
  /** Every `f` it can produce (for reports that shade fault windows). */
  readonly fs: ReadonlySet<string>;
  /** Its faults, each with its own seeded randomness; none for 'none'. */
  readonly faults: readonly Fault[];
  /** Perform an operation of one of its faults; resolves with the value to record as its completion. */
  invoke(op: NemesisOp): Promise<unknown>;
  /**
   * Remove every fault: resume paused nodes, heal partitions, clear packet
   * faults, reset clocks, restart killed nodes. Every step runs even when one
   * fails; then it rejects with a NemesisHealError listing the failures, if any.
   */
  healAll(): Promise<void>;
}

export class NemesisHealError extends Error {
  override readonly name = 'NemesisHealError';
  constructor(readonly failures: readonly string[]) {
    super(`could not remove every fault:\n  ${failures.join('\n  ')}`);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A fault operation that did part of what it was asked: `done` is what it did (recorded as its completion). */
export class PartialFaultError extends Error {
  override readonly name = 'PartialFaultError';
  constructor(
    message: string,
    readonly done: unknown,
  ) {
    super(message);
  }
}

/**
 * Run `f` on each node, all of them even if some fail; resolves with the
 * nodes. When some fail it rejects, with every failure named: a
 * PartialFaultError whose `done` lists the nodes it acted on, or a plain
 * Error when it acted on none.
 */
export async function eachNode(nodes: readonly string[], what: string, f: (n: string) => Promise<void>): Promise<string[]> {
  const failures: string[] = [];
  const done: string[] = [];
  for (const n of nodes) {
    try {
      await f(n);
      done.push(n);
    } catch (e) {
      failures.push(`${what} ${n}: ${errorText(e)}`);
    }
  }
  if (failures.length === 0) return done;
  if (done.length === 0) throw new Error(failures.join('; '));
  throw new PartialFaultError(failures.join('; '), done);
}

/** Wait on the real clock. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** How a fault waits: the context's sleep (tests make it instant), else the real clock. */
export function sleeperOf(ctx: NemesisContext): (ms: number) => Promise<void> {
  return ctx.sleep ?? realSleep;
}

/** Poll `probe` every `everyMs` until it holds or `ms` pass; whether it held. */
export async function waitUntil(probe: () => Promise<boolean>, ms: number, sleep: (ms: number) => Promise<void>, everyMs: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** Run every step of a heal, even after one fails; the failures, each named. */
export async function healSteps(steps: readonly (readonly [string, () => Promise<unknown>])[]): Promise<string[]> {
  const errors: string[] = [];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (e) {
      errors.push(`${what}: ${errorText(e)}`);
    }
  }
  return errors;
}

/** The acts of a choreographed fault. */
export interface Choreography {
  /** The whole scripted sequence; resolves with what it did (recorded in the history). */
  perform(): Promise<unknown>;
  /** Undo what `perform` leaves in place on purpose; resolves with what it did. */
  undo(): Promise<unknown>;
  /** Undo anything it may have left, after a failure or at the end of a test; the failures met. */
  heal(): Promise<string[]>;
}

/**
 * A fault whose start, `start-NAME`, performs a scripted sequence of
 * primitives (kills, partitions, delays...) and whose stop, `stop-NAME`,
 * undoes what the script leaves in place.
 */
export function choreographedFault(kind: string, name: string, acts: Choreography): Fault {
  const start = `start-${name}`;
  const stop = `stop-${name}`;
  return {
    name: kind,
    fs: [start, stop],
    start: () => ({ f: start, value: null }),
    stop: () => ({ f: stop, value: null }),
    async invoke(op) {
      if (op.f === start) return acts.perform();
      if (op.f === stop) return acts.undo();
      throw new Error(`the ${kind} nemesis has no operation ${op.f}`);
    },
    heal: () => acts.heal(),
  };
}
