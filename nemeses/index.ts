/**
 * Building a nemesis from names (`--nemesis partition,kill,clock`), each
 * optionally narrowed by a variant after a colon:
 *   partition[:one|halves|majority|majorities-ring|bridge|minority-third|primaries]
 *   kill[:one|minority|majority|all|primaries]   pause[...the same]
 *   clock[:bump|strobe|skew|slow-primary|rewind-primary]   packet[:delay|loss|duplicate|reorder|corrupt]
 *   election[:split-vote|cold-start]   none
 * Each fault of the composed nemesis draws from its own seeded randomness,
 * so that it can run on its own schedule (start, hold, stop) and the plan
 * stays reproducible from the seed.
 */
import type { PacketFaultKind } from '../harness/provision/types.js';
import { UsageError } from '../harness/errors.js';
import { CLOCK_FAULTS, type ClockFaultName } from './clock.js';
import { clockFault } from './faults/clock.js';
import { packetFaultOf } from './faults/packet.js';
import { partitionFault } from './faults/partition.js';
import { killFault, pauseFault } from './faults/process.js';
import { coldStartFault } from './faults/cold-start.js';
import { splitVoteFault } from './faults/split-vote.js';
import { NemesisHealError, errorText, type Fault, type Nemesis, type NemesisContext, type NemesisOp } from './nemesis.js';
import { PACKET_KINDS } from './packet.js';
import { fork } from './rng.js';
import { COUNT_MODES, TARGET_MODES, type TargetMode } from './targets.js';
import { TOPOLOGIES, topologiesFor, type TopologyName } from './topologies.js';

export type { Nemesis, NemesisContext, NemesisOp } from './nemesis.js';
export { NemesisHealError, PartialFaultError } from './nemesis.js';

/** Choreographed elections: split-vote (a voter bounced mid-vote), cold-start (the whole cluster restarted on a slow network). */
export const ELECTION_FAULTS = ['split-vote', 'cold-start'] as const;
type ElectionFault = (typeof ELECTION_FAULTS)[number];

export const NEMESIS_NAMES = ['none', 'partition', 'kill', 'pause', 'clock', 'packet', 'election'] as const;
export type NemesisName = (typeof NEMESIS_NAMES)[number];

const VARIANTS: Record<Exclude<NemesisName, 'none'>, readonly string[]> = {
  partition: TOPOLOGIES,
  kill: TARGET_MODES,
  pause: TARGET_MODES,
  clock: CLOCK_FAULTS,
  packet: PACKET_KINDS,
  election: ELECTION_FAULTS,
};

/** Every accepted spelling, for help texts and error messages. */
export function nemesisHelp(): string {
  return [
    'none',
    ...Object.entries(VARIANTS).map(([name, variants]) => `${name}[:${variants.join('|')}]`),
  ].join(', ');
}

/** Parsed names: for each nemesis, the variants asked for (empty = all). */
export function parseNemesisNames(names: readonly string[]): Map<Exclude<NemesisName, 'none'>, string[]> {
  const out = new Map<Exclude<NemesisName, 'none'>, string[]>();
  for (const raw of names.flatMap((n) => n.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [base, variant, extra] = raw.split(':');
    if (base === 'none' && variant === undefined) continue;
    if (!base || !(base in VARIANTS) || extra !== undefined) {
      throw new UsageError(`unknown nemesis ${JSON.stringify(raw)}; valid: ${nemesisHelp()}`);
    }
    const key = base as Exclude<NemesisName, 'none'>;
    const variants = out.get(key) ?? [];
    if (variant !== undefined) {
      if (!VARIANTS[key].includes(variant)) {
        throw new UsageError(`unknown ${key} variant ${JSON.stringify(variant)}; valid: ${VARIANTS[key].join(', ')}`);
      }
      variants.push(variant);
    }
    out.set(key, variants);
  }
  return out;
}

function faultsFor(parsed: Map<Exclude<NemesisName, 'none'>, string[]>, shared: NemesisContext): Fault[] {
  const faults: Fault[] = [];
  for (const [name, variants] of parsed) {
    // Each fault its own randomness, forked in a fixed order: its draws do not depend on when the others draw.
    const ctx = { ...shared, rng: fork(shared.rng) };
    switch (name) {
      case 'partition': {
        const possible = topologiesFor(ctx.nodes.length);
        const asked = (variants.length ? variants : possible) as TopologyName[];
        const usable = asked.filter((t) => possible.includes(t));
        if (!usable.length) {
          throw new UsageError(`partition ${asked.join(', ')} needs more nodes than ${ctx.nodes.length}`);
        }
        faults.push(partitionFault(ctx, usable));
        break;
      }
      case 'kill':
        faults.push(killFault(ctx, (variants.length ? variants : TARGET_MODES) as TargetMode[]));
        break;
      case 'pause':
        faults.push(pauseFault(ctx, (variants.length ? variants : TARGET_MODES) as TargetMode[]));
        break;
      case 'clock':
        faults.push(clockFault(ctx, (variants.length ? variants : (ctx.clockFaults ?? CLOCK_FAULTS)) as ClockFaultName[]));
        break;
      case 'packet':
        faults.push(packetFaultOf(ctx, (variants.length ? variants : PACKET_KINDS) as PacketFaultKind[], COUNT_MODES));
        break;
      case 'election':
        if (ctx.nodes.length < 3) throw new UsageError('the election nemesis needs at least 3 nodes');
        for (const v of (variants.length ? variants : ELECTION_FAULTS) as ElectionFault[]) {
          const own = { ...ctx, rng: fork(shared.rng) };
          faults.push(v === 'split-vote' ? splitVoteFault(own) : coldStartFault(own));
        }
        break;
    }
  }
  return faults;
}

/** Fresh faults of every kind, used only for their heal(), which works whatever their variant. */
function healers(ctx: NemesisContext): Fault[] {
  return [
    pauseFault(ctx, ['one']),
    partitionFault(ctx, ['one']),
    packetFaultOf(ctx, ['loss'], ['one']),
    clockFault(ctx, ['bump']),
    killFault(ctx, ['one']),
  ];
}

/** Steps of healAll, in order: resumed processes first, so they can take part in what follows. */
const HEAL_ORDER = ['election', 'pause', 'partition', 'packet', 'clock', 'kill'];

/**
 * A nemesis made of the named faults (see the module comment for names).
 * Throws a UsageError listing the valid names for an unknown one.
 */
export function buildNemesis(names: readonly string[], ctx: NemesisContext): Nemesis {
  if (ctx.nodes.length === 0) throw new UsageError('a nemesis needs at least one node');
  const parsed = parseNemesisNames(names);
  const faults = faultsFor(parsed, ctx);
  const byF = new Map<string, Fault>();
  for (const fault of faults) for (const f of fault.fs) byF.set(f, fault);

  return {
    names: [...parsed.keys()],
    fs: new Set(byF.keys()),
    faults,
    async invoke(op: NemesisOp) {
      const fault = byF.get(op.f);
      if (!fault) throw new Error(`this nemesis (${[...parsed.keys()].join(', ') || 'none'}) has no operation ${op.f}`);
      return fault.invoke(op);
    },
    async healAll() {
      const failures: string[] = [];
      // Heal every kind of fault, including those of faults not in this nemesis: cheap, and safe after a crash mid-op.
      const mine = new Set(faults.map((f) => f.name));
      const all = [...faults, ...healers(ctx).filter((f) => !mine.has(f.name))];
      for (const name of HEAL_ORDER) {
        for (const fault of all.filter((f) => f.name === name)) {
          try {
            failures.push(...(await fault.heal()));
          } catch (e) {
            failures.push(`${name}: ${errorText(e)}`);
          }
        }
      }
      if (failures.length) throw new NemesisHealError(failures);
    },
  };
}

/**
 * The packet fault kinds asked for (`packet` alone means all of them; the
 * election nemesis needs delay) that this machine cannot apply, given what
 * it supports; empty when none were asked for or all of them work.
 */
export function unsupportedPacketKinds(names: readonly string[], supported: ReadonlySet<PacketFaultKind>): { asked: PacketFaultKind[]; missing: PacketFaultKind[] } {
  const parsed = parseNemesisNames(names);
  const variants = parsed.get('packet');
  const asked = new Set((variants ? (variants.length ? variants : PACKET_KINDS) : []) as PacketFaultKind[]);
  if (parsed.has('election')) asked.add('delay');
  return { asked: [...asked], missing: [...asked].filter((k) => !supported.has(k)) };
}
