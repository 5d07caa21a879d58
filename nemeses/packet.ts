/**
 * Decisions of the packet nemesis: which kind of fault, how strong. Pure.
 */
import type { PacketFault, PacketFaultKind } from '../harness/provision/types.js';
import { randInt, type Rng } from './rng.js';

export const PACKET_KINDS: readonly PacketFaultKind[] = ['delay', 'loss', 'duplicate', 'reorder', 'corrupt'];

export function isPacketKind(s: string): s is PacketFaultKind {
  return (PACKET_KINDS as readonly string[]).includes(s);
}

const fraction = (rng: Rng, lo: number, hi: number) => Math.round((lo + rng() * (hi - lo)) * 100) / 100;

/** A fault of one kind with random strength. */
export function packetFault(kind: PacketFaultKind, rng: Rng): PacketFault {
  switch (kind) {
    case 'delay': {
      const delayMs = randInt(rng, 20, 500);
      return { delayMs, jitterMs: Math.round(delayMs / 2) };
    }
    case 'loss':
      return { loss: fraction(rng, 0.1, 0.5) };
    case 'duplicate':
      return { duplicate: fraction(rng, 0.1, 0.5) };
    case 'reorder':
      return { delayMs: randInt(rng, 20, 100), reorder: fraction(rng, 0.2, 0.5) };
    case 'corrupt':
      return { corrupt: fraction(rng, 0.05, 0.2) };
  }
}
