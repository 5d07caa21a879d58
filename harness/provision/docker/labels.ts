/**
 * Names and labels of everything the docker provisioner creates. Every
 * container and network carries the run's labels, every image the image
 * labels, so that teardown and `harness clean` find them by label alone
 * (also on a remote engine, where no file of the controller's is).
 */
import { hostname } from 'node:os';
import { runNames } from '../naming.js';
import { processStartTime } from '../owner.js';

/** Present (value '1') on every object of ours. */
export const LABEL = 'io.harness';
export const LABEL_RUN = 'io.harness.run';
export const LABEL_TAG = 'io.harness.tag';
export const LABEL_NODE = 'io.harness.node';
/** The run's folder on the controller (node logs go there, also when `harness clean` removes a dead run). */
export const LABEL_RUN_DIR = 'io.harness.run-dir';
/** The controller: `host pid pid-start`, so that `harness clean` can tell a dead controller from a live one. */
export const LABEL_OWNER = 'io.harness.owner';
/** On images: 'node' (what the containers run) or 'base' (what it is built from). */
export const LABEL_IMAGE = 'io.harness.image';
/** On images: the content hash of everything that went into it. */
export const LABEL_HASH = 'io.harness.hash';

/** The owner of a run: this host, this process and its start time. */
export interface Owner {
  host: string;
  pid: number;
  pidStart: string;
}

export function thisOwner(): Owner {
  return { host: hostname(), pid: process.pid, pidStart: processStartTime(process.pid) ?? '' };
}

export function formatOwner(o: Owner): string {
  return `${o.host} ${o.pid} ${o.pidStart}`;
}

export function parseOwner(s: string | undefined): Owner | undefined {
  const m = /^(\S+) (\d+) (\S*)$/.exec(s ?? '');
  return m ? { host: m[1]!, pid: Number(m[2]), pidStart: m[3]! } : undefined;
}

export interface DockerNames {
  tag: string;
  network: string;
  /** The host side of the network's bridge (at most 15 characters). */
  bridge: string;
  /** The comment on every iptables rule inside the containers. */
  comment: string;
  container(node: string): string;
}

/** Names of a run's objects: `hx-<tag>` and `hx-<tag>-<node>`, the bridge `hxd<tag>`. */
export function dockerNames(runId: string): DockerNames {
  const { tag, comment } = runNames(runId);
  return { tag, comment, network: `hx-${tag}`, bridge: `hxd${tag}`, container: (node) => `hx-${tag}-${node}` };
}

/** Labels of a run's network and containers. */
export function runLabels(runId: string, runDir: string, owner: Owner, node?: string): Record<string, string> {
  return {
    [LABEL]: '1',
    [LABEL_RUN]: runId,
    [LABEL_TAG]: dockerNames(runId).tag,
    [LABEL_RUN_DIR]: runDir,
    [LABEL_OWNER]: formatOwner(owner),
    ...(node === undefined ? {} : { [LABEL_NODE]: node }),
  };
}

/** A filter for the engine's list calls: objects of ours, of one run when given. */
export function labelFilter(runId?: string): { label: string[] } {
  return { label: runId === undefined ? [`${LABEL}=1`] : [`${LABEL}=1`, `${LABEL_RUN}=${runId}`] };
}
