/**
 * The main of an in-repo target's node process: its command line
 * (node-command.ts writes it), with the flags every node takes checked here
 * and the target's own returned as parsed for the target to check (a bad
 * flag is one line on stderr and exit status 2); then serving until SIGTERM
 * or SIGINT.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Logger } from '../raft-kv/shell/log.js';
import { parsePeers, type PeerAddress } from './peer-sockets.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON = {
  id: { type: 'string' },
  listen: { type: 'string' },
  'client-port': { type: 'string' },
  'peer-port': { type: 'string' },
  peers: { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies Options;

export interface NodeFlags {
  id: string;
  listenHost: string;
  clientPort: number;
  peerPort: number;
  peers: Map<string, PeerAddress>;
  dataDir: string;
}

/** Exits with status 2 after one line naming the program (give the result an explicit type where it narrows). */
export function failer(program: string): (msg: string) => never {
  return (msg) => {
    process.stderr.write(`${program} node: ${msg}\n`);
    process.exit(2);
  };
}

export function parseNodeArgs<O extends Options>(program: string, own: O, args: string[] = process.argv.slice(2)) {
  const fail = failer(program);
  let parsed;
  try {
    parsed = parseArgs<{ options: typeof COMMON & O; args: string[] }>({ options: { ...COMMON, ...own }, args });
  } catch (err) {
    return fail((err as Error).message);
  }
  const { values } = parsed;
  const v = values as Record<string, unknown>;
  const required = (name: keyof typeof COMMON): string => (typeof v[name] === 'string' ? (v[name] as string) : fail(`--${name} is required`));
  const port = (name: 'client-port' | 'peer-port'): number => {
    const n = Number(required(name));
    if (!Number.isInteger(n) || n <= 0 || n > 65535) fail(`bad --${name} ${String(v[name])} (want a port number)`);
    return n;
  };
  const id = required('id');
  const peers = parsePeers(required('peers'), fail);
  if (!peers.has(id)) fail(`--peers does not list ${id}`);
  const flags: NodeFlags = { id, listenHost: required('listen'), clientPort: port('client-port'), peerPort: port('peer-port'), peers, dataDir: required('data-dir') };
  return { flags, values };
}

/** What a node process serves: started once, stopped on a signal. */
export interface NodeService {
  start(): Promise<void>;
  stop(): void;
}

/** Starts `server`; stops it and exits 0 on SIGTERM or SIGINT; exits 1 when it cannot start. */
export function serveUntilSignalled(server: NodeService, log: Logger): void {
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
}
