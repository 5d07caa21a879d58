/**
 * Names of everything the local provisioner creates. Every name carries a
 * short tag derived from the run id, so a run's objects can be found again
 * (by teardown, and by `harness clean` after a controller that died), and a
 * fixed prefix, so nothing that is not ours ever matches.
 *
 * Linux interface names have at most 15 characters: `hxb` + 6 hex = 9 for
 * the bridge, `hxv` + 6 hex + node index for the host side of a veth pair.
 */
import { createHash } from 'node:crypto';

export const TAG_LENGTH = 6;
const NS_RE = /^hx-([0-9a-f]{6})-(.+)$/;
const LINK_RE = /^hx[bvp]([0-9a-f]{6})\d*$/;
/** The comment on every iptables rule we add in the root namespace. */
export const COMMENT_PREFIX = 'harness:';

/** A short, stable tag for a run id. */
export function runTag(runId: string): string {
  return createHash('sha1').update(runId).digest('hex').slice(0, TAG_LENGTH);
}

export interface RunNames {
  tag: string;
  bridge: string;
  comment: string;
  netns(node: string): string;
  /** Host-side veth of the node at position `index` (0-based). */
  vethHost(index: number): string;
  /** Namespace-side veth before it is moved and renamed to eth0. */
  vethPeer(index: number): string;
}

export function runNames(runId: string): RunNames {
  const tag = runTag(runId);
  return {
    tag,
    bridge: `hxb${tag}`,
    comment: `${COMMENT_PREFIX}${runId}`,
    netns: (node) => `hx-${tag}-${node}`,
    vethHost: (index) => `hxv${tag}${index}`,
    vethPeer: (index) => `hxp${tag}${index}`,
  };
}

/** The run tag of a namespace name we created, or undefined when not ours. */
export function tagOfNetns(name: string): string | undefined {
  return NS_RE.exec(name)?.[1];
}

/** The run tag of an interface name we created, or undefined when not ours. */
export function tagOfLink(name: string): string | undefined {
  return LINK_RE.exec(name)?.[1];
}

/** The interface name inside each node's namespace. */
export const NODE_IFACE = 'eth0';
/** Chains we add inside node namespaces. */
export const CHAIN_PARTITION = 'HX-PARTITION';
export const CHAIN_LOSS = 'HX-LOSS';
export const CHAIN_DUPLICATE = 'HX-DUPLICATE';
/** Departing packets handed to the userspace shaper (kernels without netem). */
export const CHAIN_SHAPE = 'HX-SHAPE';
