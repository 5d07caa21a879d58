/**
 * The userspace packet shaper for kernels without netem: `nfq-shaper` (C,
 * `shaper/nfq-shaper.c`, built by `npm run build:shaper`) runs inside a
 * node's namespace and holds, releases early or corrupts the packets that
 * an iptables NFQUEUE rule on the node's interface hands it. Loss and
 * duplication stay with iptables (packet.ts).
 */
import { execa } from 'execa';
import type { Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAIN_SHAPE, NODE_IFACE } from './naming.js';
import type { PacketFault } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Where `npm run build:shaper` puts the binary, seen from dist/ and from the sources. */
const CANDIDATES = [join(here, '../../bin/nfq-shaper'), join(here, '../../dist/bin/nfq-shaper')];

/** The netfilter queue each shaper reads; queues are per network namespace. */
const QUEUE = 0;

/** Path of the built shaper, or undefined when it was not built. */
export function findShaper(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** Whether a fault needs the shaper: anything beyond loss and duplication. */
export function needsShaper(fault: PacketFault): boolean {
  return (fault.delayMs ?? 0) > 0 || (fault.jitterMs ?? 0) > 0 || (fault.reorder ?? 0) > 0 || (fault.corrupt ?? 0) > 0;
}

/** The shaper's arguments for a fault; reordering needs a delay to overtake, 10 ms when none is given (as netem). */
export function shaperArgs(fault: PacketFault, seed: number, tag: string): string[] {
  const reorder = fault.reorder ?? 0;
  const delay = fault.delayMs ?? (reorder > 0 ? 10 : 0);
  return [
    '--queue', String(QUEUE),
    '--delay-ms', String(delay),
    '--jitter-ms', String(fault.jitterMs ?? 0),
    '--reorder', String(reorder),
    '--corrupt', String(fault.corrupt ?? 0),
    '--seed', String(seed >>> 0),
    '--tag', tag,
  ];
}

/**
 * iptables-restore batch (for `--noflush`) that sends what leaves the node's
 * interface to the shaper; --queue-bypass lets packets through unshaped,
 * rather than drops them, while no shaper listens.
 */
export function shapeBatch(comment: string): string {
  return [
    '*filter',
    `-F ${CHAIN_SHAPE}`,
    `-A ${CHAIN_SHAPE} -o ${NODE_IFACE} -m comment --comment "${comment}" -j NFQUEUE --queue-num ${QUEUE} --queue-bypass`,
    'COMMIT',
    '',
  ].join('\n');
}

export function shapeClearBatch(): string {
  return ['*filter', `-F ${CHAIN_SHAPE}`, 'COMMIT', ''].join('\n');
}

/** A shaper process as a provisioner started it (in a namespace, or in a container). */
export interface ShaperProcess {
  stdout: Readable;
  stderr: Readable;
  /** Settles with the exit status when the process has exited. */
  exited: Promise<number | undefined>;
  signal(signal: NodeJS.Signals): Promise<void>;
}

/** Start `binary` inside network namespace `ns` (the local provisioner). */
export function spawnInNetns(binary: string, ns: string, args: readonly string[]): ShaperProcess {
  const child = execa('ip', ['netns', 'exec', ns, binary, ...args], { stdin: 'ignore', reject: false, cleanup: true, buffer: false });
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    exited: child.then((r) => r.exitCode),
    signal: async (signal) => void child.kill(signal),
  };
}

/** A running shaper in one node. */
export class Shaper {
  private constructor(private readonly proc: ShaperProcess) {}

  /** Wait until the shaper in `where` has bound its queue. */
  static async start(proc: ShaperProcess, where: string): Promise<Shaper> {
    const ready = new Promise<void>((resolve, reject) => {
      let seen = '';
      let errors = '';
      proc.stdout.on('data', (b: Buffer) => {
        seen += b.toString();
        if (seen.includes('ready\n')) resolve();
      });
      proc.stderr.on('data', (b: Buffer) => (errors += b.toString()));
      void proc.exited.then((code) => reject(new Error(`nfq-shaper in ${where} exited with status ${code}: ${errors.trim()}`)));
      setTimeout(() => reject(new Error(`nfq-shaper in ${where} did not start within 5 s: ${errors.trim()}`)), 5000).unref();
    });
    try {
      await ready;
    } catch (e) {
      await proc.signal('SIGKILL').catch(() => undefined);
      throw e;
    }
    return new Shaper(proc);
  }

  /** SIGTERM: the shaper lets every held packet go, then exits. */
  async stop(): Promise<void> {
    await this.proc.signal('SIGTERM');
    const exited = await Promise.race([this.proc.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!exited) {
      await this.proc.signal('SIGKILL');
      await this.proc.exited;
    }
  }
}
