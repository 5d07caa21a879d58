/**
 * The cluster of one run: hosts from the provisioner, every node started
 * from the target's launch, and the target's readiness probe polled until
 * the cluster serves.
 */
import type { Provisioner } from '../provision/types.js';
import type { ClusterLayout, NodeLaunch, TargetDefinition, TargetRunOptions } from '../target.js';
import { sleep } from './clients.js';

export interface Cluster {
  layout: ClusterLayout;
  names: string[];
  /** Each node's launch, kept to restart it after a kill. */
  launches: ReadonlyMap<string, NodeLaunch>;
}

/** How often the readiness probe is polled, and how long one probe may take. */
const PROBE_EVERY_MS = 200;
export const PROBE_TIMEOUT_MS = 1000;

export async function startCluster(
  provisioner: Provisioner,
  target: TargetDefinition,
  run: TargetRunOptions,
  spec: { runId: string; runDir: string; nodes: number; fakeTime: boolean; log?: (line: string) => void },
): Promise<Cluster> {
  const names = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`);
  const addresses = await provisioner.setup({ runId: spec.runId, nodes: names, runDir: spec.runDir, fakeTime: spec.fakeTime, ...(spec.log ? { log: spec.log } : {}) });
  const layout: ClusterLayout = { nodes: addresses };
  const launches = new Map<string, NodeLaunch>();
  for (const node of addresses) {
    const launch = target.launch(node, layout, run, provisioner.dataDir(node.name));
    launches.set(node.name, launch);
    await provisioner.start(node.name, launch);
  }
  return { layout, names, launches };
}

/**
 * Poll the target's readiness probe until the cluster serves, the deadline
 * passes, or `stop` aborts; the milliseconds it took, or undefined.
 */
export async function waitUntilServing(
  target: TargetDefinition,
  cluster: ClusterLayout,
  run: TargetRunOptions,
  deadlineMs: number,
  stop?: AbortSignal,
): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < deadlineMs && !stop?.aborted) {
    if (await target.ready(cluster, run, { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => false)) return Date.now() - start;
    await sleep(PROBE_EVERY_MS, stop);
  }
  return undefined;
}
