/**
 * The client against a real redis-server and redis-sentinel on loopback:
 * each outcome is what happened. Errors the server answered and commands
 * never sent are fail, and the data shows they did not apply; a timeout or
 * a connection lost after sending is info, and the data shows why it must
 * be (the command did apply). Skipped without redis-server and redis-sentinel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExists } from '../../harness/programs.js';
import { SentinelClient } from './client.js';
import { MASTER_NAME } from './config.js';
import { SET_KEY } from './ops.js';

const HOST = '127.0.0.1';
const have = commandExists('redis-server') && commandExists('redis-sentinel');
const base = 21000 + (process.pid % 500) * 4;
const MASTER = base;
const OTHER = base + 1;
const SENTINEL = base + 2;
const TIMEOUT_MS = 500;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: HOST, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function until(what: string, cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!have)('the redis-sentinel client against a real server (loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-client-'));
  const procs = new Map<string, ChildProcess>();
  let admin: Redis;
  let client: SentinelClient;

  function startServer(name: string, port: number): Promise<void> {
    const p = spawn('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''], { stdio: 'ignore' });
    procs.set(name, p);
    return until(`${name} to listen`, () => listening(port));
  }

  beforeAll(async () => {
    await startServer('master', MASTER);
    await startServer('other', OTHER);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, [`port ${SENTINEL}`, `bind ${HOST}`, `dir ${dir}`, `sentinel monitor ${MASTER_NAME} ${HOST} ${MASTER} 1`, `sentinel down-after-milliseconds ${MASTER_NAME} 60000`, ''].join('\n'));
    procs.set('sentinel', spawn('redis-sentinel', [conf], { stdio: 'ignore' }));
    await until('the sentinel to listen', () => listening(SENTINEL));
    admin = new Redis({ host: HOST, port: MASTER, maxRetriesPerRequest: 0 });
    admin.on('error', () => undefined);
    client = new SentinelClient([{ host: HOST, port: SENTINEL }], new Map([[HOST, 'n1']]), TIMEOUT_MS);
  });

  afterAll(async () => {
    await client?.close();
    admin?.disconnect();
    for (const p of procs.values()) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const members = async () => (await admin.smembers(SET_KEY)).map(Number);

  it('finds the master through Sentinel, and names it on the outcome', async () => {
    expect(await client.invoke('add', 1)).toEqual({ type: 'ok', value: 1, node: 'n1' });
    expect(await client.invoke('read', null)).toEqual({ type: 'ok', value: [1], node: 'n1' });
  });

  it('register ops: write, read, and a Lua compare-and-set that fails when the value differs', async () => {
    expect((await client.invoke('write', [7, 3])).type).toBe('ok');
    expect(await client.invoke('cas', [7, [4, 0]])).toMatchObject({ type: 'fail', error: expect.stringMatching(/compare failed/) });
    expect(await client.invoke('cas', [7, [3, 4]])).toMatchObject({ type: 'ok', value: [7, [3, 4]] });
    expect(await client.invoke('read', [7, null])).toMatchObject({ type: 'ok', value: [7, 4] });
    expect(await client.invoke('read', [8, null])).toMatchObject({ type: 'ok', value: [8, null] });
  });

  it('append transactions: MULTI/EXEC, reads filled in and seeing their own appends', async () => {
    expect(await client.invoke('txn', [['append', 1, 10], ['r', 1, null]])).toMatchObject({ type: 'ok', value: [['append', 1, 10], ['r', 1, [10]]] });
    expect(await client.invoke('txn', [['r', 1, null], ['append', 1, 11], ['r', 2, null]])).toMatchObject({ type: 'ok', value: [['r', 1, [10]], ['append', 1, 11], ['r', 2, []]] });
  });

  it('NOREPLICAS is fail, and the add did not apply', async () => {
    await admin.config('SET', 'min-replicas-to-write', '1');
    expect(await client.invoke('add', 2)).toMatchObject({ type: 'fail', error: expect.stringMatching(/^NOREPLICAS/) });
    expect(await client.invoke('txn', [['append', 1, 12]])).toMatchObject({ type: 'fail', error: expect.stringMatching(/EXECABORT/) });
    await admin.config('SET', 'min-replicas-to-write', '0');
    expect(await members()).not.toContain(2);
    expect(await admin.lrange('harness:list:1', 0, -1)).toEqual(['10', '11']);
  });

  it('READONLY from a demoted master is fail; the client asks Sentinel again and comes back when it is a master again', async () => {
    await admin.replicaof(HOST, OTHER);
    expect(await client.invoke('add', 3)).toMatchObject({ type: 'fail', error: expect.stringMatching(/^READONLY/) });
    // The Sentinel still names it, and ioredis refuses a master that reports role slave: nothing is sent.
    expect(await client.invoke('add', 4)).toMatchObject({ type: 'fail', error: expect.stringMatching(/^not sent/) });
    await admin.replicaof('NO', 'ONE');
    await until('the client to reconnect', async () => (await client.invoke('add', 5)).type === 'ok');
    const m = await members();
    expect(m).not.toContain(3);
    expect(m).not.toContain(4);
  });

  it('a timeout is info, and rightly: the add applies once the master resumes', async () => {
    procs.get('master')!.kill('SIGSTOP');
    try {
      expect(await client.invoke('add', 6)).toMatchObject({ type: 'info', error: 'sent, no reply: Command timed out', node: 'n1' });
    } finally {
      procs.get('master')!.kill('SIGCONT');
    }
    await until('the add to apply', async () => (await members()).includes(6));
  });

  it('a connection lost after sending is info; a refused connection is fail', async () => {
    const fresh = new SentinelClient([{ host: HOST, port: SENTINEL }], new Map([[HOST, 'n1']]), 2000);
    try {
      expect((await fresh.invoke('add', 20)).type).toBe('ok');
      procs.get('master')!.kill('SIGSTOP');
      const pending = fresh.invoke('add', 21);
      await new Promise((r) => setTimeout(r, 200));
      procs.get('master')!.kill('SIGKILL');
      expect(await pending).toMatchObject({ type: 'info', error: expect.stringMatching(/max retries per request/) });
      // The Sentinel still names the dead master: connecting is refused, nothing is sent.
      // (Under load the Sentinel may not answer in time either: still nothing sent, still fail.)
      expect(await fresh.invoke('add', 22)).toMatchObject({ type: 'fail', error: expect.stringMatching(/^not sent.*(ECONNREFUSED|no master reachable)/) });
    } finally {
      await fresh.close();
    }
  });

  it('closes cleanly', async () => {
    await client.close();
    await client.close();
  });
});
