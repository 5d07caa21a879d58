/** The in-repo Dynamo-style store as a harness target. */
import { UsageError } from '../../harness/errors.js';
import type { TargetDefinition } from '../../harness/target.js';
import { nodeCommand } from '../common/node-command.js';
import { DynamoClient, probeReadWrite } from './client.js';
import { OPTIONS, settingsOf } from './settings.js';
import { dynamoSetWorkload, registerWorkload, sessionWorkload } from './workloads/index.js';

export const CLIENT_PORT = 8201;
export const PEER_PORT = 8202;

/** The compiled node entry point, relative to the project root (where every node process runs). */
export const NODE_SCRIPT = 'dist/targets/dynamo/node.js';

export const dynamo: TargetDefinition = {
  name: 'dynamo',
  description: 'In-repo Dynamo-style store: consistent hashing, N/W/R quorums (strict or sloppy with hinted handoff), vector clocks or last-write-wins, read repair, Merkle anti-entropy, gossip.',
  defaultNodes: 5,
  workloads: { register: registerWorkload, session: sessionWorkload, set: dynamoSetWorkload },
  defaultWorkload: 'register',
  options: OPTIONS,
  bugs: [],
  clientPort: CLIENT_PORT,
  launch(node, cluster, run, dataDir) {
    const s = settingsOf(run);
    if (s.n > cluster.nodes.length) throw new UsageError(`--n ${s.n} is more than the ${cluster.nodes.length} nodes: a key cannot have more replicas than there are nodes (raise --nodes)`);
    const argv = [
      ...nodeCommand(NODE_SCRIPT, node, cluster, { clientPort: CLIENT_PORT, peerPort: PEER_PORT }, dataDir),
      '--n', String(s.n),
      '--w', String(s.w),
      '--r', String(s.r),
      '--resolve', s.resolution,
      ...(s.sloppy ? ['--sloppy'] : []),
    ];
    return { processes: [{ name: 'dynamo', argv }] };
  },
  async client(node, cluster, _run, opts) {
    return new DynamoClient(node, cluster, { timeoutMs: opts.timeoutMs, clientPort: CLIENT_PORT });
  },
  ready(cluster, _run, opts) {
    return probeReadWrite(cluster, CLIENT_PORT, opts.timeoutMs);
  },
};
