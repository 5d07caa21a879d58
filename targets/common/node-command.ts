/**
 * The command line an in-repo target's node starts with: the project's
 * Node.js running the node's script, and the flags every such node takes
 * (its name, where it listens for clients and peers, every peer's address,
 * its data directory). The target appends its own flags.
 */
import { NODE, type ClusterLayout, type NodeAddress } from '../../harness/target.js';

export interface NodePorts {
  clientPort: number;
  peerPort: number;
}

export function nodeCommand(script: string, node: NodeAddress, cluster: ClusterLayout, ports: NodePorts, dataDir: string): string[] {
  const peers = cluster.nodes.map((n) => `${n.name}=${n.host}:${ports.peerPort}`).join(',');
  return [
    NODE,
    script,
    '--id', node.name,
    '--listen', node.host,
    '--client-port', String(ports.clientPort),
    '--peer-port', String(ports.peerPort),
    '--peers', peers,
    '--data-dir', dataDir,
  ];
}
