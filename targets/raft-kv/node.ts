/**
 * One raft-kv node as an OS process:
 *   node dist/targets/raft-kv/node.js --id n1 --listen HOST --client-port P --peer-port Q
 *     --peers n1=HOST:Q,n2=HOST:Q,... --data-dir DIR [--read-mode log|read-index|lease] [--bug NAME ...]
 *     [--tick-ms 50] [--snapshot-every 10000] [--max-clock-offset-ms 500]
 */
import { mkdirSync } from 'node:fs';
import { failer, parseNodeArgs, serveUntilSignalled } from '../common/node-main.js';
import { bugSwitches, isBugName, type BugName } from './bugs.js';
import { isReadMode } from './replica.js';
import { DEFAULT_MAX_CLOCK_OFFSET_MS } from './shell/clock-guard.js';
import { stderrLogger } from './shell/log.js';
import { NodeServer } from './shell/server.js';

const fail: (msg: string) => never = failer('raft-kv');
const { flags, values } = parseNodeArgs('raft-kv', {
  'read-mode': { type: 'string', default: 'log' },
  bug: { type: 'string', multiple: true, default: [] },
  'tick-ms': { type: 'string', default: '50' },
  'snapshot-every': { type: 'string', default: '10000' },
  'max-clock-offset-ms': { type: 'string', default: String(DEFAULT_MAX_CLOCK_OFFSET_MS) },
});

const readMode = values['read-mode'];
if (!isReadMode(readMode)) fail(`unknown --read-mode ${readMode}`);
const bugs: BugName[] = [];
for (const b of values.bug) {
  if (!isBugName(b)) fail(`unknown --bug ${b}`);
  bugs.push(b);
}
const positive = (s: string, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) fail(`bad --${name} ${s} (want a positive whole number)`);
  return n;
};
const milliseconds = (s: string, name: string) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) fail(`bad --${name} ${s} (want a whole number of ms, 0 for none)`);
  return n;
};

mkdirSync(flags.dataDir, { recursive: true });
const log = stderrLogger(flags.id);
const server = new NodeServer(
  {
    ...flags,
    readMode,
    bugs: bugSwitches(bugs),
    tickMs: positive(values['tick-ms'], 'tick-ms'),
    electionTicks: 6,
    heartbeatTicks: 1,
    snapshotEvery: positive(values['snapshot-every'], 'snapshot-every'),
    maxClockOffsetMs: milliseconds(values['max-clock-offset-ms'], 'max-clock-offset-ms'),
  },
  log,
);
if (bugs.length > 0) log.warn('planted bugs switched on', { bugs });
serveUntilSignalled(server, log);
