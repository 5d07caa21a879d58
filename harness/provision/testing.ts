/**
 * Helpers for tests of provisioners: a tiny TCP server to run as a node, and
 * TCP probes (this machine has no ping). Used by the integration tests.
 */
import { connect } from 'node:net';
import { NODE, type NodeLaunch } from '../target.js';

export const PROBE_PORT = 7000;
/** The port of a node's second process (a sidecar, as Redis runs Sentinel beside the server). */
export const SIDECAR_PORT = 7001;

/** A node of two processes, `echo` and `sidecar`, each an echo server on its own port. */
export function echoLaunch(name: string, host: string): NodeLaunch {
  return {
    processes: [
      { name: 'echo', argv: echoServerArgv(name, host) },
      { name: 'sidecar', argv: echoServerArgv(`${name}-sidecar`, host, SIDECAR_PORT) },
    ],
  };
}

/**
 * argv of a node process that answers every TCP connection on `host:port`
 * with one JSON line: its name and its Date.now().
 */
export function echoServerArgv(name: string, host: string, port = PROBE_PORT): string[] {
  const js =
    `require('net').createServer(s => { s.on('error', () => {}); ` +
    `s.end(JSON.stringify({ node: ${JSON.stringify(name)}, now: Date.now() }) + '\\n'); })` +
    `.listen(${port}, ${JSON.stringify(host)}, () => console.log('listening'));`;
  return [NODE, '-e', js];
}

/** Source of a node script that exits 0 when it gets a line from host:port within `timeoutMs`, 1 otherwise. */
export function probeScript(host: string, port = PROBE_PORT, timeoutMs = 1000): string {
  return (
    `const s = require('net').connect(${port}, ${JSON.stringify(host)}); let d = '';` +
    `const t = setTimeout(() => process.exit(1), ${timeoutMs});` +
    `s.on('data', c => { d += c; if (d.includes('\\n')) { clearTimeout(t); process.stdout.write(d); process.exit(0); } });` +
    `s.on('error', () => process.exit(1));`
  );
}

export interface ProbeReply {
  node: string;
  now: number;
}

/** Ask the echo server at host:port for its line; undefined when nothing comes back within `timeoutMs`. */
export function probe(host: string, port = PROBE_PORT, timeoutMs = 1000): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    let data = '';
    const done = (v: ProbeReply | undefined) => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    s.on('data', (c) => {
      data += c.toString();
      const nl = data.indexOf('\n');
      if (nl >= 0) done(JSON.parse(data.slice(0, nl)) as ProbeReply);
    });
    s.on('error', () => done(undefined));
  });
}

/** Poll `f` until it returns a value other than undefined, or give up after `ms`. */
export async function eventually<T>(f: () => Promise<T | undefined>, ms = 5000, everyMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
