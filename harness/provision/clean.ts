/**
 * `harness clean`: remove what local-provisioner runs left behind after their
 * controller died (kill -9, power loss of the terminal), and the preflight
 * check that the machine can run the local provisioner at all.
 */
import { SetupError } from '../errors.js';
import { requirePrograms } from '../programs.js';
import { tagOfLink, tagOfNetns } from './naming.js';
import { ownerIsAlive, readOwners, removeOwner } from './owner.js';
import { listLinks, listNetns, sweep, type SweepSummary } from './sweep.js';

export interface CleanOptions {
  /**
   * Also remove runs whose controller is still alive. Off by default, so that
   * `harness clean` next to a running test leaves that test alone.
   */
  includeLive?: boolean;
}

export interface CleanSummary extends SweepSummary {
  /** Run ids (or tags, when the owner record was lost) that were cleaned. */
  runs: string[];
  /** Run ids left alone because their controller is still running. */
  skippedLive: string[];
}

/** Remove every process, namespace, link and root iptables rule of harness runs whose controller is gone. */
export async function cleanAll(opts: CleanOptions = {}): Promise<CleanSummary> {
  requireRoot();
  const owners = await readOwners();
  const live = new Set<string>();
  const skippedLive: string[] = [];
  if (!opts.includeLive) {
    for (const [tag, rec] of owners) {
      if (rec.pid !== process.pid && ownerIsAlive(rec)) {
        live.add(tag);
        skippedLive.push(rec.runId);
      }
    }
  }
  const select = (tag: string) => !live.has(tag);
  // Which runs have anything left (for the summary), before the sweep removes it.
  const tags = new Set<string>();
  for (const n of await listNetns()) {
    const t = tagOfNetns(n);
    if (t !== undefined && select(t)) tags.add(t);
  }
  for (const l of await listLinks()) {
    const t = tagOfLink(l);
    if (t !== undefined && select(t)) tags.add(t);
  }
  const summary = await sweep(select);
  for (const [tag] of owners) {
    if (select(tag)) {
      tags.add(tag);
      await removeOwner(tag);
    }
  }
  const runs = [...tags].map((t) => owners.get(t)?.runId ?? `tag ${t}`);
  return { ...summary, runs, skippedLive };
}

let checked = false;

/**
 * Throw a SetupError with what to do when this process cannot run the local
 * provisioner: not root, or `ip` / `iptables` missing.
 */
export function requireRoot(): void {
  if (checked) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new SetupError(
      'the local provisioner needs root (it creates network namespaces, veth pairs, a bridge and iptables rules); run as root, e.g. with sudo',
    );
  }
  requirePrograms('the local provisioner', [
    { program: 'ip', install: 'apt-get install -y iproute2 iptables' },
    { program: 'iptables', install: 'apt-get install -y iproute2 iptables' },
  ]);
  checked = true;
}
