/**
 * Several named registers changed by transactions of micro-ops,
 * `[['read', 'x', 1], ['write', 'y', 2]]` (Knossos' multi-register).
 * A read of nil tells nothing, as in Knossos. Initial state from --init,
 * e.g. {"x": 0, "y": 0}; registers not named there start as nil.
 */
import { sameValue, show, type Model } from '../model.js';

type Registers = Readonly<Record<string, unknown>>;
type MicroOp = [string, string, unknown];

function microOps(value: unknown): MicroOp[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const m of value) {
    if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== 'string') return undefined;
    if (!['read', 'r', 'write', 'w'].includes(m[0])) return undefined;
  }
  return value.map((m: unknown[]) => [m[0] as string, String(m[1]), m[2]]);
}

function canonical(regs: Registers): string {
  return JSON.stringify(Object.keys(regs).sort().map((k) => [k, regs[k]]));
}

export function multiRegisterModel(): Model<Registers> {
  return {
    name: 'multi-register',
    description: "named registers changed by txn ops of [read k v] / [write k v] micro-ops; --init '{\"x\":0,\"y\":0}'",
    init: (initial) => (initial && typeof initial === 'object' && !Array.isArray(initial) ? { ...(initial as Registers) } : {}),
    step(state, call) {
      let next: Record<string, unknown> | undefined;
      for (const [f, k, v] of microOps(call.value)!) {
        const cur = next ?? state;
        if (f === 'read' || f === 'r') {
          if (call.outcome === 'unknown' || v === null) continue;
          if (!sameValue(cur[k] ?? null, v)) return undefined;
        } else {
          next ??= { ...state };
          next[k] = v;
        }
      }
      return next ?? state;
    },
    key: canonical,
    readOnly: (call) => (microOps(call.value) ?? []).every(([f]) => f === 'read' || f === 'r'),
    invalidCall(call) {
      if (call.f !== 'txn') return `the multi-register model has only txn operations; found '${call.f}'`;
      return microOps(call.value) ? undefined : `a txn value must be a list of [read|write key value]; found ${show(call.value)}`;
    },
    describe: (call) =>
      `txn ${(microOps(call.value) ?? []).map(([f, k, v]) => `${f} ${k} ${show(v)}`).join(', ')}${call.outcome === 'unknown' ? ' -> ?' : ''}`,
    showState: (s) => `{${Object.keys(s).sort().map((k) => `${k} ${show(s[k])}`).join(', ')}}`,
  };
}
