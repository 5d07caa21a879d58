/**
 * One Dynamo node as an OS process:
 *   node dist/targets/dynamo/node.js --id n1 --listen HOST --client-port P --peer-port Q
 *     --peers n1=HOST:Q,n2=HOST:Q,... --data-dir DIR --n 3 --w 2 --r 2 [--sloppy] [--resolve vclock|lww]
 *     [--vnodes 16] [--tick-ms 20] [--request-timeout-ms 500] [--gossip-every-ms 200] [--down-after-ms 1000]
 *     [--anti-entropy-every-ms 1000] [--handoff-every-ms 1000]
 */
import { mkdirSync } from 'node:fs';
import { failer, parseNodeArgs, serveUntilSignalled } from '../common/node-main.js';
import { stderrLogger } from '../raft-kv/shell/log.js';
import { RESOLUTIONS, type Resolution } from './core/siblings.js';
import { NodeServer } from './shell/server.js';
import { NODE_TIMINGS } from './settings.js';

const fail: (msg: string) => never = failer('dynamo');
const { flags, values } = parseNodeArgs('dynamo', {
  n: { type: 'string', default: '3' },
  w: { type: 'string', default: '2' },
  r: { type: 'string', default: '2' },
  sloppy: { type: 'boolean', default: false },
  resolve: { type: 'string', default: 'vclock' },
  vnodes: { type: 'string', default: String(NODE_TIMINGS.vnodes) },
  'tick-ms': { type: 'string', default: String(NODE_TIMINGS.tickMs) },
  'request-timeout-ms': { type: 'string', default: String(NODE_TIMINGS.requestTimeoutMs) },
  'gossip-every-ms': { type: 'string', default: String(NODE_TIMINGS.gossipEveryMs) },
  'down-after-ms': { type: 'string', default: String(NODE_TIMINGS.downAfterMs) },
  'anti-entropy-every-ms': { type: 'string', default: String(NODE_TIMINGS.antiEntropyEveryMs) },
  'handoff-every-ms': { type: 'string', default: String(NODE_TIMINGS.handoffEveryMs) },
});

const positive = (name: Exclude<keyof typeof values, 'sloppy'>) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n <= 0) fail(`bad --${name} ${String(values[name])} (want a positive whole number)`);
  return n;
};

const { id, peers } = flags;
const resolution = values.resolve as Resolution;
if (!RESOLUTIONS.includes(resolution)) fail(`unknown --resolve ${values.resolve} (want ${RESOLUTIONS.join(' or ')})`);
const [n, w, r] = [positive('n'), positive('w'), positive('r')];
if (w > n || r > n || n > peers.size) fail(`need W <= N, R <= N and N <= the ${peers.size} nodes; got N=${n} W=${w} R=${r}`);

mkdirSync(flags.dataDir, { recursive: true });
const log = stderrLogger(id);
const server = new NodeServer(
  {
    core: {
      id,
      n,
      w,
      r,
      sloppy: values.sloppy,
      resolution,
      vnodes: positive('vnodes'),
      requestTimeoutMs: positive('request-timeout-ms'),
      gossipEveryMs: positive('gossip-every-ms'),
      downAfterMs: positive('down-after-ms'),
      antiEntropyEveryMs: positive('anti-entropy-every-ms'),
      handoffEveryMs: positive('handoff-every-ms'),
    },
    listenHost: flags.listenHost,
    clientPort: flags.clientPort,
    peerPort: flags.peerPort,
    peers,
    dataDir: flags.dataDir,
    tickMs: positive('tick-ms'),
  },
  log,
);
serveUntilSignalled(server, log);
