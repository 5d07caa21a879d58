/**
 * Choosing a private /24 for a run's bridge that collides with no route and
 * no address already on the machine (including other runs' bridges).
 */
import { run } from './cmd.js';

export interface Subnet {
  /** e.g. '10.213.7' — the first three octets. */
  prefix: string;
  /** The controller's address on the bridge: `<prefix>.1`. */
  gateway: string;
  /** Address of the node at position `index` (0-based): `<prefix>.<11 + index>`. */
  host(index: number): string;
  cidr: string;
}

export const MAX_NODES = 240;

export function makeSubnet(prefix: string): Subnet {
  return {
    prefix,
    gateway: `${prefix}.1`,
    host(index) {
      if (index < 0 || index >= MAX_NODES) throw new RangeError(`node index ${index} outside 0..${MAX_NODES - 1}`);
      return `${prefix}.${11 + index}`;
    },
    cidr: `${prefix}.0/24`,
  };
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

/** [first, last] addresses of a CIDR ('default' is everything, and is ignored by callers). */
export function cidrRange(cidr: string): [number, number] {
  const [ip, lenText] = cidr.split('/');
  const len = lenText === undefined ? 32 : Number(lenText);
  const base = ipToInt(ip!);
  const size = len === 0 ? 2 ** 32 : 2 ** (32 - len);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

const FIRST = ipToInt('10.200.0.0');
const CANDIDATES = 55 * 256; // 10.200.0.0/24 .. 10.254.255.0/24

/**
 * The first /24 in 10.200.0.0-10.254.255.0, starting at a position derived
 * from `seed`, that overlaps none of `taken` (CIDRs; 'default' routes ignored).
 */
export function chooseSubnet(taken: readonly string[], seed: number): Subnet {
  const ranges = taken.filter((c) => c !== 'default' && /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(c)).map(cidrRange);
  for (let i = 0; i < CANDIDATES; i++) {
    const first = FIRST + ((seed + i) % CANDIDATES) * 256;
    const last = first + 255;
    // A route wider than a /8 (e.g. 0.0.0.0/1 of a VPN) is a default route in disguise; do not let it block us.
    if (ranges.some(([a, b]) => b - a < 2 ** 24 && a <= last && first <= b)) continue;
    const prefix = `${first >>> 24}.${(first >>> 16) & 255}.${(first >>> 8) & 255}`;
    return makeSubnet(prefix);
  }
  throw new Error('no free /24 left in 10.200.0.0-10.254.255.255 for the harness bridge');
}

/** Every IPv4 route destination and interface address on the machine, as CIDRs. */
export async function takenPrefixes(): Promise<string[]> {
  const routes = JSON.parse((await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout || '[]') as Array<{ dst?: string }>;
  const addrs = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show'])).stdout || '[]') as Array<{
    addr_info?: Array<{ local?: string; prefixlen?: number }>;
  }>;
  const out: string[] = [];
  for (const r of routes) if (r.dst) out.push(r.dst);
  for (const a of addrs) for (const i of a.addr_info ?? []) if (i.local) out.push(`${i.local}/${i.prefixlen ?? 32}`);
  return out;
}
