/**
 * Packet faults: `tc netem` where the kernel has it; otherwise loss through
 * iptables `statistic` and duplication through iptables `TEE`, and a clear
 * error for what only netem can do (delay, jitter, reordering, corruption).
 * The builders here are pure; the provisioner runs what they return.
 */
import { CHAIN_DUPLICATE, CHAIN_LOSS } from './naming.js';
import type { PacketFault, PacketFaultKind } from './types.js';

export const ALL_PACKET_KINDS: readonly PacketFaultKind[] = ['delay', 'loss', 'duplicate', 'reorder', 'corrupt'];
export const KINDS_WITHOUT_NETEM: readonly PacketFaultKind[] = ['loss', 'duplicate'];

/** A PacketFault that asks for something the machine cannot do. */
export class PacketFaultUnsupported extends Error {
  override readonly name = 'PacketFaultUnsupported';
}

/** The kinds a fault asks for (fields that are set and non-zero). */
export function kindsOf(fault: PacketFault): PacketFaultKind[] {
  const out: PacketFaultKind[] = [];
  if ((fault.delayMs ?? 0) > 0 || (fault.jitterMs ?? 0) > 0) out.push('delay');
  if ((fault.loss ?? 0) > 0) out.push('loss');
  if ((fault.duplicate ?? 0) > 0) out.push('duplicate');
  if ((fault.reorder ?? 0) > 0) out.push('reorder');
  if ((fault.corrupt ?? 0) > 0) out.push('corrupt');
  return out;
}

function checkFraction(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`packet fault ${name} must be a fraction from 0 to 1, got ${v}`);
}

export function validatePacketFault(fault: PacketFault): void {
  for (const k of ['loss', 'duplicate', 'reorder', 'corrupt'] as const) checkFraction(k, fault[k]);
  for (const k of ['delayMs', 'jitterMs'] as const) {
    const v = fault[k];
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) throw new RangeError(`packet fault ${k} must be >= 0 ms, got ${v}`);
  }
}

const pct = (f: number) => `${+(f * 100).toFixed(4)}%`;

/** Arguments after `tc qdisc replace dev IFACE root` for a netem qdisc. Reordering needs a delay; 10 ms when none given. */
export function netemArgs(fault: PacketFault): string[] {
  validatePacketFault(fault);
  const args = ['netem'];
  const reorder = fault.reorder ?? 0;
  const delay = fault.delayMs ?? (reorder > 0 ? 10 : 0);
  const jitter = fault.jitterMs ?? 0;
  if (delay > 0 || jitter > 0) {
    args.push('delay', `${delay}ms`);
    if (jitter > 0) args.push(`${jitter}ms`, 'distribution', 'normal');
  }
  if ((fault.loss ?? 0) > 0) args.push('loss', pct(fault.loss!));
  if ((fault.duplicate ?? 0) > 0) args.push('duplicate', pct(fault.duplicate!));
  if (reorder > 0) args.push('reorder', pct(reorder));
  if ((fault.corrupt ?? 0) > 0) args.push('corrupt', pct(fault.corrupt!));
  return args;
}

/** What the kernel lacks for the packet fault kinds `missing`, and what to do about it. */
export function netemMissingMessage(missing: readonly PacketFaultKind[]): string {
  return (
    `this kernel has no netem qdisc (sch_netem, CONFIG_NET_SCH_NETEM), which packet ${missing.join(', ')} need, and the userspace packet shaper is not built; ` +
    `without both only loss (iptables statistic) and duplicate (iptables TEE) are available. ` +
    `Load the module (modprobe sch_netem), or build the shaper (apt-get install -y gcc libnetfilter-queue-dev; npm run build:shaper).`
  );
}

/** Throws PacketFaultUnsupported naming what the kernel lacks when a fault needs netem and it is absent. */
export function checkWithoutNetem(fault: PacketFault): void {
  const missing = kindsOf(fault).filter((k) => !KINDS_WITHOUT_NETEM.includes(k));
  if (missing.length) throw new PacketFaultUnsupported(netemMissingMessage(missing));
}

/**
 * An iptables-restore batch (for `--noflush`) that replaces a node's loss and
 * duplication rules: loss drops arriving packets with probability `loss`;
 * duplication clones departing packets to `peers` (addresses on the node's
 * link, the controller's included) with probability `duplicate`.
 */
export function iptablesPacketBatch(fault: PacketFault, peers: readonly string[], comment: string): string {
  validatePacketFault(fault);
  const lines = ['*filter', `-F ${CHAIN_LOSS}`];
  const c = `-m comment --comment "${comment}"`;
  if ((fault.loss ?? 0) > 0) {
    lines.push(`-A ${CHAIN_LOSS} -m statistic --mode random --probability ${fault.loss} ${c} -j DROP`);
  }
  lines.push('COMMIT', '*mangle', `-F ${CHAIN_DUPLICATE}`);
  if ((fault.duplicate ?? 0) > 0) {
    for (const p of peers) {
      lines.push(`-A ${CHAIN_DUPLICATE} -d ${p}/32 -m statistic --mode random --probability ${fault.duplicate} ${c} -j TEE --gateway ${p}`);
    }
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The batch that removes every loss and duplication rule of a node. */
export function iptablesPacketClear(): string {
  return ['*filter', `-F ${CHAIN_LOSS}`, 'COMMIT', '*mangle', `-F ${CHAIN_DUPLICATE}`, 'COMMIT', ''].join('\n');
}
