/**
 * One raft-kv node as an OS process:
 *   node dist/targets/raft-kv/node.js --id n1 --listen HOST --client-port P --peer-port Q
 *     --peers n1=HOST:Q,n2=HOST:Q,... --data-dir DIR [--read-mode log|read-index|lease] [--bug NAME ...]
 *     [--tick-ms 50] [--snapshot-every 10000] [--max-clock-offset-ms 500]
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bugSwitches, isBugName, type BugName } from './bugs.js';
import { isReadMode } from './replica.js';
import { NodeServer } from './shell/server.js';
import { stderrLogger } from './shell/log.js';
import { parsePeers } from '../common/peer-sockets.js';
import { DEFAULT_MAX_CLOCK_OFFSET_MS } from './shell/clock-guard.js';

function fail(msg: string): never {
  process.stderr.write(`raft-kv node: ${msg}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    listen: { type: 'string' },
    'client-port': { type: 'string' },
    'peer-port': { type: 'string' },
    peers: { type: 'string' },
    'data-dir': { type: 'string' },
    'read-mode': { type: 'string', default: 'log' },
    bug: { type: 'string', multiple: true, default: [] },
    'tick-ms': { type: 'string', default: '50' },
    'snapshot-every': { type: 'string', default: '10000' },
    'max-clock-offset-ms': { type: 'string', default: String(DEFAULT_MAX_CLOCK_OFFSET_MS) },
  },
});

const id = values.id ?? fail('--id is required');
const listen = values.listen ?? fail('--listen is required');
const dataDir = values['data-dir'] ?? fail('--data-dir is required');
const peers = parsePeers(values.peers ?? fail('--peers is required'), fail);
if (!peers.has(id)) fail(`--peers does not list ${id}`);
const readMode = values['read-mode'];
if (!isReadMode(readMode)) fail(`unknown --read-mode ${readMode}`);
const bugs: BugName[] = [];
for (const b of values.bug) {
  if (!isBugName(b)) fail(`unknown --bug ${b}`);
  bugs.push(b);
}
const port = (s: string | undefined, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) fail(`bad --${name} ${s}`);
  return n;
};

const milliseconds = (s: string | undefined, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) fail(`bad --${name} ${s} (want a whole number of ms, 0 for none)`);
  return n;
};

mkdirSync(dataDir, { recursive: true });
const log = stderrLogger(id);
const server = new NodeServer(
  {
    id,
    listenHost: listen,
    clientPort: port(values['client-port'], 'client-port'),
    peerPort: port(values['peer-port'], 'peer-port'),
    peers,
    dataDir,
    readMode,
    bugs: bugSwitches(bugs),
    tickMs: port(values['tick-ms'], 'tick-ms'),
    electionTicks: 6,
    heartbeatTicks: 1,
    snapshotEvery: port(values['snapshot-every'], 'snapshot-every'),
    maxClockOffsetMs: milliseconds(values['max-clock-offset-ms'], 'max-clock-offset-ms'),
  },
  log,
);
if (bugs.length > 0) log.warn('planted bugs switched on', { bugs });
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    log.info('stopping', { signal: sig });
    server.stop();
    process.exit(0);
  });
}
server.start().catch((err: unknown) => {
  log.warn('failed to start', { error: String(err) });
  process.exit(1);
});
