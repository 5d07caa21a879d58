/**
 * Fault windows from the nemesis ops of a history, so reports can shade
 * when the system was under a fault and checkers can say which faults were
 * in effect when something happened.
 *
 * Nemesis ops are recorded twice with type 'info': once when invoked and
 * once when done. A window runs from the start op's completion to the
 * completion of the matching stop op, or to the end of the test.
 */
import type { History, Op } from './op.js';
import { FAULT_STARTS as STARTS, FAULT_STOPS as STOPS } from './fault-ops.js';
import { show } from './show.js';

export interface FaultWindow {
  /** partition | kill | pause | clock | packet */
  kind: string;
  /** The start op's f, e.g. 'start-partition'. */
  f: string;
  /** What the fault was, e.g. 'majorities-ring' or 'n1,n3'. */
  label: string;
  /** Nanoseconds since the test began. */
  start: number;
  end: number;
  /** True when no stop op closed it before the history ended. */
  open: boolean;
  /** History indices of the start op's completion and the stop op's completion. */
  startIndex: number;
  stopIndex?: number;
}

/** A few words for a fault's value: a topology, a node list, a packet fault kind. */
export function faultLabel(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : show(v, 30))).join(',');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A primaries partition says whom it isolated.
    if (typeof o.topology === 'string') return typeof o.leader === 'string' ? `${o.topology} ${o.leader}` : o.topology;
    const nodes = Array.isArray(o.nodes) ? faultLabel(o.nodes) : '';
    if (typeof o.kind === 'string') return nodes ? `${o.kind} ${nodes}` : o.kind;
    if (nodes) return nodes;
    // A plan by node, e.g. clock offsets { n1: 120, n3: -40 }.
    return Object.entries(o)
      .map(([k, v]) => `${k} ${show(v, 20)}`)
      .join(', ');
  }
  return show(value, 60);
}

/**
 * Nemesis ops paired into invocation and completion. The nemesis may run
 * different faults at once, so a nemesis op with the same f as a pending one
 * is taken to be its completion.
 */
function nemesisCompletions(history: History): { invoke: Op; completion: Op }[] {
  const pending = new Map<string, Op>();
  const done: { invoke: Op; completion: Op }[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    const inv = pending.get(op.f);
    if (inv && op.type !== 'invoke') {
      pending.delete(op.f);
      done.push({ invoke: inv, completion: op });
    } else {
      pending.set(op.f, op);
    }
  }
  return done;
}

export function faultWindows(history: History, end: number): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const active = new Map<string, FaultWindow>();
  for (const { invoke, completion } of nemesisCompletions(history)) {
    const f = invoke.f;
    const startKind = STARTS[f];
    const stopKind = STOPS[f];
    if (startKind !== undefined) {
      // A start that did nothing opens no window (the report lists it among the failed fault operations).
      if (completion.type === 'fail') continue;
      // A second start of the same kind without a stop: close the first where the second begins.
      const prev = active.get(startKind);
      if (prev) {
        prev.end = completion.time;
        prev.open = false;
      }
      // What was done (the nodes a `kill primaries` hit), else what was asked for.
      const label = show(faultLabel(completion.value) || faultLabel(invoke.value), 48);
      const w: FaultWindow = { kind: startKind, f, label: label ? `${f} ${label}` : f, start: completion.time, end, open: true, startIndex: completion.index };
      active.set(startKind, w);
      windows.push(w);
    } else if (stopKind !== undefined) {
      const w = active.get(stopKind);
      if (!w) continue; // a heal with nothing in effect
      active.delete(stopKind);
      w.end = completion.time;
      w.open = false;
      w.stopIndex = completion.index;
    }
  }
  return windows;
}

/** The windows in effect at `time` (nanoseconds since the test began): started by then and not yet stopped. */
export function faultsAt(windows: readonly FaultWindow[], time: number): FaultWindow[] {
  return windows.filter((w) => w.start <= time && time < w.end);
}

/** The window that ended last before `time`, if any: what a system may still be recovering from. */
export function lastEndedBefore(windows: readonly FaultWindow[], time: number): FaultWindow | undefined {
  let last: FaultWindow | undefined;
  for (const w of windows) if (!w.open && w.end <= time && (!last || w.end > last.end)) last = w;
  return last;
}
