import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE } from '../../harness/target.js';
import { PROJECT_ROOT } from '../../harness/project.js';
import { nodeCommand } from './node-command.js';
import { parseNodeArgs } from './node-main.js';

const cluster = { nodes: [{ name: 'n1', host: '10.0.0.1' }, { name: 'n2', host: '10.0.0.2' }] };

describe('a node command line', () => {
  it('is read back as written: the common flags checked, the target’s own as parsed', () => {
    const argv = [...nodeCommand('dist/x.js', cluster.nodes[1]!, cluster, { clientPort: 9001, peerPort: 9002 }, '/data/n2'), '--mode', 'fast'];
    expect(argv.slice(0, 2)).toEqual([NODE, 'dist/x.js']);
    const { flags, values } = parseNodeArgs('x', { mode: { type: 'string', default: 'slow' } }, argv.slice(2));
    expect(flags).toMatchObject({ id: 'n2', listenHost: '10.0.0.2', clientPort: 9001, peerPort: 9002, dataDir: '/data/n2' });
    expect([...flags.peers.keys()]).toEqual(['n1', 'n2']);
    expect(values.mode).toBe('fast');
  });

  // A node with a bad command line exits 2 with one line, never a stack trace (the compiled raft-kv node).
  it.each([
    [['--bogus'], /^raft-kv node: Unknown option '--bogus'$/],
    [['--id', 'n1'], /^raft-kv node: --peers is required$/],
    [['--id', 'n3', '--listen', 'h', '--client-port', '1', '--peer-port', '2', '--peers', 'n1=h:2', '--data-dir', '/tmp/none'], /^raft-kv node: --peers does not list n3$/],
    [['--id', 'n1', '--listen', 'h', '--client-port', '70000', '--peer-port', '2', '--peers', 'n1=h:2', '--data-dir', '/tmp/none'], /^raft-kv node: bad --client-port 70000/],
  ])('refuses %j with one line and exit status 2', (args, message) => {
    const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist/targets/raft-kv/node.js'), ...args], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
  });
});
