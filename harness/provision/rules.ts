/**
 * iptables-restore batches (for `--noflush`) applied inside node namespaces.
 * Pure builders; the provisioner pipes them to `ip netns exec NS iptables-restore`.
 */
import { CHAIN_DUPLICATE, CHAIN_LOSS, CHAIN_PARTITION, CHAIN_SHAPE } from './naming.js';

/** Chains of a fresh node namespace: partitions and loss on arrival; shaping and duplication on departure. */
export function nodeChainsBatch(): string {
  return [
    '*filter',
    `:${CHAIN_PARTITION} - [0:0]`,
    `:${CHAIN_LOSS} - [0:0]`,
    `:${CHAIN_SHAPE} - [0:0]`,
    `-A INPUT -j ${CHAIN_PARTITION}`,
    `-A INPUT -j ${CHAIN_LOSS}`,
    `-A OUTPUT -j ${CHAIN_SHAPE}`,
    'COMMIT',
    '*mangle',
    `:${CHAIN_DUPLICATE} - [0:0]`,
    `-A POSTROUTING -j ${CHAIN_DUPLICATE}`,
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * Replace a node's partition rules: drop everything arriving from `dropFrom`
 * (addresses). The controller's address is never in it, so the harness keeps
 * reaching every node during a partition.
 */
export function partitionBatch(dropFrom: readonly string[], comment: string): string {
  const lines = ['*filter', `-F ${CHAIN_PARTITION}`];
  for (const ip of dropFrom) lines.push(`-A ${CHAIN_PARTITION} -s ${ip}/32 -m comment --comment "${comment}" -j DROP`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** Root-namespace rules letting the bridge's traffic through a host whose FORWARD policy is DROP (Docker). */
export function rootAcceptRules(bridge: string, comment: string): string[][] {
  const tag = ['-m', 'comment', '--comment', comment, '-j', 'ACCEPT'];
  return [
    ['FORWARD', '-i', bridge, '-o', bridge, ...tag],
    ['INPUT', '-i', bridge, ...tag],
    ['OUTPUT', '-o', bridge, ...tag],
  ];
}
