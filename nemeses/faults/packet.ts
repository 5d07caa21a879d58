/**
 * Packet faults: `start-packet` ({nodes, kind, fault}) on one node, a
 * minority, a majority or all; `stop-packet` clears them. When the machine
 * cannot do the chosen kind (no netem), a supported kind is used instead and
 * the completion records what was really applied.
 */
import type { PacketFault, PacketFaultKind } from '../../harness/provision/types.js';
import type { Fault, NemesisContext, NemesisOp } from '../nemesis.js';
import { errorText } from '../nemesis.js';
import { packetFault } from '../packet.js';
import { pick } from '../rng.js';
import { chooseTargets, type CountMode } from '../targets.js';

export interface PacketOpValue {
  nodes: string[];
  kind: PacketFaultKind;
  fault: PacketFault;
}

export function packetFaultOf(ctx: NemesisContext, kinds: readonly PacketFaultKind[], modes: readonly CountMode[]): Fault {
  let supported: ReadonlySet<PacketFaultKind> | undefined = ctx.packetKinds;
  const choosable = () => {
    const k = supported ? kinds.filter((x) => supported!.has(x)) : [...kinds];
    return k.length ? k : [...kinds];
  };
  return {
    name: 'packet',
    fs: ['start-packet', 'stop-packet'],
    start(): NemesisOp {
      const kind = pick(ctx.rng, choosable());
      const value: PacketOpValue = { nodes: chooseTargets(modes, ctx.nodes, ctx.rng).nodes, kind, fault: packetFault(kind, ctx.rng) };
      return { f: 'start-packet', value };
    },
    stop: () => ({ f: 'stop-packet', value: null }),
    async invoke(op) {
      const p = ctx.provisioner;
      if (op.f === 'stop-packet') {
        await p.clearPackets();
        return 'cleared';
      }
      let v = op.value as PacketOpValue;
      supported ??= p.packetSupport ? await p.packetSupport() : undefined;
      if (supported && !supported.has(v.kind)) {
        const usable = kinds.filter((k) => supported!.has(k));
        if (!usable.length) {
          throw new Error(`none of the packet faults ${kinds.join(', ')} is possible here (supported: ${[...supported].join(', ') || 'none'})`);
        }
        const kind = pick(ctx.rng, usable);
        v = { ...v, kind, fault: packetFault(kind, ctx.rng) };
        await p.packet(v.nodes, v.fault);
        return { ...v, requested: (op.value as PacketOpValue).kind, reason: `${(op.value as PacketOpValue).kind} is not supported on this machine` };
      }
      await p.packet(v.nodes, v.fault);
      return v;
    },
    async heal() {
      try {
        await ctx.provisioner.clearPackets();
        return [];
      } catch (e) {
        return [`clear packet faults: ${errorText(e)}`];
      }
    },
  };
}
