/**
 * Three real node processes on 127.0.0.11..13: elections, the client
 * protocol, truthful outcomes, kill -9 and restart from the data dir.
 * Needs the compiled node (dist/targets/raft-kv/node.js); builds it if stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetClient } from '../../harness/target.js';
import { raftKv, NODE_SCRIPT } from './index.js';
import { nodeStatus } from './client.js';
import { localCluster, waitForLeader, type LocalCluster } from './local-cluster.js';

const RUN = { bugs: [], options: {} };
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (name.name.endsWith('.ts') && !name.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const script = join(repo, NODE_SCRIPT);
  if (existsSync(script) && statSync(script).mtimeMs >= newestSource(here)) return;
  try {
    execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repo, 'tsconfig.json')], { stdio: 'ignore' });
  } catch {
    // Type errors elsewhere in the repo do not stop tsc from emitting our files.
  }
  if (!existsSync(script)) throw new Error(`could not build ${script}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('raft-kv cluster on loopback', () => {
  let cluster: LocalCluster;
  const clients: TargetClient[] = [];
  const client = async (name: string, timeoutMs = 3000) => {
    const node = cluster.layout.nodes.find((n) => n.name === name);
    if (!node) throw new Error(name);
    const c = await raftKv.client(node, cluster.layout, RUN, { timeoutMs });
    clients.push(c);
    return c;
  };
  const follower = async () => {
    const leader = await waitForLeader(cluster.layout, 10_000);
    return { leader, follower: cluster.layout.nodes.map((n) => n.name).find((n) => n !== leader) as string };
  };

  beforeAll(async () => {
    ensureBuilt();
    cluster = localCluster(['127.0.0.11', '127.0.0.12', '127.0.0.13']);
    await waitForLeader(cluster.layout, 10_000);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stopAll();
  });

  it('serves write, read, cas and txn through a follower', async () => {
    const c = await client((await follower()).follower);
    expect(await c.invoke('write', ['x', 1])).toEqual({ type: 'ok', value: ['x', 1] });
    expect(await c.invoke('read', ['x', null])).toEqual({ type: 'ok', value: ['x', 1] });
    expect(await c.invoke('cas', ['x', [1, 2]])).toEqual({ type: 'ok', value: ['x', [1, 2]] });
    const failed = await c.invoke('cas', ['x', [1, 3]]);
    expect(failed.type).toBe('fail');
    expect(await c.invoke('read', ['x', null])).toEqual({ type: 'ok', value: ['x', 2] });
    const txn = await c.invoke('txn', [['append', 'l', 1], ['append', 'l', 2], ['r', 'l', null], ['r', 'nothing', null]]);
    expect(txn).toEqual({ type: 'ok', value: [['append', 'l', 1], ['append', 'l', 2], ['r', 'l', [1, 2]], ['r', 'nothing', null]] });
    expect(await c.invoke('add', 7)).toEqual({ type: 'ok', value: 7 });
    expect(await c.invoke('read', null)).toEqual({ type: 'ok', value: [7] });
  }, 20_000);

  it('reports fail for a malformed op and for a node nobody listens on', async () => {
    const c = await client('n1');
    expect((await c.invoke('write', 'not-a-pair')).type).toBe('fail');
    const nowhere = await raftKv.client({ name: 'n9', host: '127.0.0.19' }, cluster.layout, RUN, { timeoutMs: 1000 });
    clients.push(nowhere);
    expect((await nowhere.invoke('write', ['x', 9])).type).toBe('fail');
  });

  it('reports info when the node stops answering after the request was sent', async () => {
    const { leader } = await follower();
    const c = await client(leader, 700);
    expect((await c.invoke('write', ['p', 0])).type).toBe('ok');
    await cluster.kill(leader, 'SIGSTOP');
    try {
      const r = await c.invoke('write', ['p', 1]);
      expect(r.type).toBe('info');
    } finally {
      await cluster.kill(leader, 'SIGCONT');
    }
  }, 20_000);

  it('survives kill -9 of the leader and catches the restarted node up', async () => {
    const { leader } = await follower();
    await cluster.kill(leader, 'SIGKILL');
    const survivor = cluster.layout.nodes.map((n) => n.name).find((n) => n !== leader) as string;
    const c = await client(survivor, 5000);
    for (let i = 0; i < 20; i++) expect((await c.invoke('write', ['k', i])).type).toBe('ok');
    cluster.start(leader);
    const node = cluster.layout.nodes.find((n) => n.name === leader);
    if (!node) throw new Error(leader);
    let caughtUp = false;
    for (let i = 0; i < 50 && !caughtUp; i++) {
      await sleep(100);
      const s = await nodeStatus(node, raftKv.clientPort, 300);
      const [l] = await raftKv.primaries!(cluster.layout, RUN, { timeoutMs: 300 });
      const ls = l ? await nodeStatus(cluster.layout.nodes.find((n) => n.name === l) ?? node, raftKv.clientPort, 300) : undefined;
      caughtUp = s !== undefined && ls !== undefined && s.applied >= ls.commit - 1 && s.applied > 20;
    }
    expect(caughtUp).toBe(true);
  }, 30_000);

  it('keeps acknowledged writes when every node is killed with -9 and restarted', async () => {
    const c = await client('n2', 5000);
    expect((await c.invoke('write', ['durable', 'yes'])).type).toBe('ok');
    for (const n of cluster.layout.nodes) await cluster.kill(n.name, 'SIGKILL');
    for (const n of cluster.layout.nodes) cluster.start(n.name);
    await waitForLeader(cluster.layout, 10_000);
    expect(await c.invoke('read', ['durable', null])).toEqual({ type: 'ok', value: ['durable', 'yes'] });
    expect(await c.invoke('read', ['x', null])).toEqual({ type: 'ok', value: ['x', 2] });
  }, 30_000);
});

describe('raft-kv with the no-fsync bug', () => {
  let cluster: LocalCluster | undefined;
  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('loses acknowledged appends when every node is killed with -9', async () => {
    ensureBuilt();
    cluster = localCluster(['127.0.0.14', '127.0.0.15', '127.0.0.16'], { bugs: ['no-fsync'] });
    const layout = cluster.layout;
    let lost = 0;
    // The lazy flush runs every 2 s; if it happens to land between the acks and the kill, try again.
    for (let attempt = 0; attempt < 3 && lost === 0; attempt++) {
      await waitForLeader(layout, 10_000);
      const c = await raftKv.client(layout.nodes[0] ?? { name: 'n1', host: '127.0.0.14' }, layout, RUN, { timeoutMs: 5000 });
      const before = await c.invoke('txn', [['r', 'l', null]]);
      const had = before.type === 'ok' ? ((before.value as [[string, string, unknown[] | null]])[0][2] ?? []).length : 0;
      let acked = 0;
      for (let i = 0; i < 10; i++) if ((await c.invoke('txn', [['append', 'l', `${attempt}-${i}`]])).type === 'ok') acked++;
      for (const n of layout.nodes) await cluster.kill(n.name, 'SIGKILL');
      for (const n of layout.nodes) cluster.start(n.name);
      await waitForLeader(layout, 10_000);
      const after = await c.invoke('txn', [['r', 'l', null]]);
      await c.close();
      expect(after.type).toBe('ok');
      const has = ((after as { value: [[string, string, unknown[] | null]] }).value[0][2] ?? []).length;
      lost = had + acked - has;
    }
    expect(lost).toBeGreaterThan(0);
  }, 60_000);
});

describe('raft-kv log compaction across processes', () => {
  let cluster: LocalCluster | undefined;
  afterAll(async () => {
    await cluster?.stopAll();
  });

  it('brings a node that missed compacted entries back through InstallSnapshot', async () => {
    ensureBuilt();
    cluster = localCluster(['127.0.0.17', '127.0.0.18', '127.0.0.19'], { extraArgs: ['--snapshot-every', '50'] });
    const layout = cluster.layout;
    const leader = await waitForLeader(layout, 10_000);
    const lagger = layout.nodes.find((n) => n.name !== leader);
    const home = layout.nodes.find((n) => n.name === leader);
    if (!lagger || !home) throw new Error('layout');
    await cluster.kill(lagger.name, 'SIGKILL');
    const c = await raftKv.client(home, layout, RUN, { timeoutMs: 5000 });
    for (let i = 0; i < 150; i++) expect((await c.invoke('txn', [['append', 'l', i]])).type).toBe('ok');
    await c.close();
    cluster.start(lagger.name);
    let status;
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      status = await nodeStatus(lagger, raftKv.clientPort, 300);
      if (status && status.applied >= 150) break;
    }
    expect(status?.applied).toBeGreaterThanOrEqual(150);
    const snap = JSON.parse(readFileSync(join(cluster.root, lagger.name, 'snapshot.json'), 'utf8')) as { index: number; data: { data: [string, unknown][] } };
    expect(snap.index).toBeGreaterThanOrEqual(100);
    const list = snap.data.data.find(([k]) => k === JSON.stringify('l'))?.[1] as number[];
    expect(list.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  }, 60_000);
});
