/**
 * The core on a tiny synchronous network: messages delivered in order,
 * links cut by hand, time advanced by ticks. The seeded simulator
 * (sim/) covers the same code under random faults; these say what each
 * mechanism does, one at a time.
 */
import { describe, expect, it } from 'vitest';
import { DynamoNode } from './node.js';
import { Ring } from './ring.js';
import { keyIdOf } from './store.js';
import type { ClientReply, ClientRequest, DynamoConfig } from './types.js';
import { EMPTY_CONTEXT } from './vclock.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

class Net {
  readonly nodes = new Map<string, DynamoNode>();
  readonly cut = new Set<string>();
  private readonly replies = new Map<number, ClientReply>();
  private nextId = 1;
  now = 0;

  constructor(q: Pick<DynamoConfig, 'n' | 'w' | 'r' | 'sloppy' | 'resolution'>) {
    for (const id of NODES) {
      const cfg: DynamoConfig = { id, nodes: NODES, ...q, vnodes: 4, requestTimeoutMs: 500, gossipEveryMs: 100, downAfterMs: 300, antiEntropyEveryMs: 200, handoffEveryMs: 200, random: () => 0 };
      this.nodes.set(id, new DynamoNode(cfg, new Map()));
    }
  }

  private linked(a: string, b: string): boolean {
    return !this.cut.has(a) && !this.cut.has(b);
  }

  /** Carry out every node's effects until nothing moves. */
  settle(): void {
    for (let moved = true; moved; ) {
      moved = false;
      for (const node of this.nodes.values()) {
        for (const e of node.drain()) {
          moved = true;
          if (e.kind === 'reply') this.replies.set(e.id, e.reply);
          else if (e.kind === 'send' && this.linked(e.msg.from, e.msg.to)) this.nodes.get(e.msg.to)!.receive(e.msg, { mono: this.now, wallUs: this.now * 1000 });
        }
      }
    }
  }

  /** Advance time by `ms` in ticks of 50 ms. */
  run(ms: number): void {
    for (const end = this.now + ms; this.now < end; ) {
      this.now += 50;
      for (const node of this.nodes.values()) node.tick({ mono: this.now, wallUs: this.now * 1000 });
      this.settle();
    }
  }

  request(via: string, req: ClientRequest): ClientReply {
    const id = this.nextId++;
    this.nodes.get(via)!.request(id, req, { mono: this.now, wallUs: this.now * 1000 });
    this.settle();
    const r = this.replies.get(id);
    if (!r) throw new Error('no reply yet');
    return r;
  }
}

const homesOf = (key: unknown, n = 3) => {
  const ring = new Ring(NODES, 4);
  return ring.homes(ring.rangeOf(keyIdOf(key)), n);
};

describe('the Dynamo core', () => {
  it('acknowledges a write stored by W replicas; a read returns it with a context that replaces it', () => {
    const net = new Net({ n: 3, w: 2, r: 2, sloppy: false, resolution: 'vclock' });
    net.run(200); // gossip: every node hears every other
    expect(net.request('n1', { kind: 'put', key: 'k', value: 'a', context: EMPTY_CONTEXT })).toMatchObject({ type: 'put' });
    const read = net.request('n4', { kind: 'get', key: 'k' });
    expect(read).toMatchObject({ type: 'got', values: ['a'] });
    // A blind write makes a sibling; a write with the read's context replaces what was read.
    net.request('n2', { kind: 'put', key: 'k', value: 'b', context: EMPTY_CONTEXT });
    const both = net.request('n3', { kind: 'get', key: 'k' });
    expect(both.type === 'got' && [...both.values].sort()).toEqual(['a', 'b']);
    net.request('n3', { kind: 'put', key: 'k', value: 'c', context: both.type === 'got' ? both.context : EMPTY_CONTEXT });
    expect(net.request('n5', { kind: 'get', key: 'k' })).toMatchObject({ values: ['c'] });
  });

  it('refuses at once, certainly not done, when fewer than W homes are up (strict quorums)', () => {
    const net = new Net({ n: 3, w: 2, r: 2, sloppy: false, resolution: 'vclock' });
    const [, h2, h3] = homesOf('k');
    net.cut.add(h2!).add(h3!);
    net.run(500);
    const coordinator = NODES.find((n) => n !== h2 && n !== h3)!;
    expect(net.request(coordinator, { kind: 'put', key: 'k', value: 'a', context: EMPTY_CONTEXT })).toEqual({ type: 'fail', error: 'unavailable: 1 of the 3 replicas up, W=2 needed' });
  });

  it('hands a sloppy write to a fallback with a hint, and off to its home once the home is back', () => {
    const net = new Net({ n: 3, w: 2, r: 2, sloppy: true, resolution: 'vclock' });
    const [h1, h2, h3] = homesOf('k');
    net.cut.add(h3!);
    net.run(500);
    expect(net.request(h1!, { kind: 'put', key: 'k', value: 'a', context: EMPTY_CONTEXT })).toMatchObject({ type: 'put' });
    const hinted = [...net.nodes.values()].filter((n) => n.store.hintCount > 0);
    expect(hinted.map((n) => n.id)).toHaveLength(1);
    expect(hinted[0]!.id).not.toBe(h2);
    expect(net.nodes.get(h3!)!.store.siblings(keyIdOf('k'))).toEqual([]);
    net.cut.clear();
    net.run(1000);
    expect(net.nodes.get(h3!)!.store.siblings(keyIdOf('k')).map((s) => s.value)).toEqual(['a']);
    expect(hinted[0]!.store.hintCount).toBe(0);
  });

  it('brings a home that missed writes up to date by anti-entropy, without any read', () => {
    const net = new Net({ n: 3, w: 2, r: 2, sloppy: false, resolution: 'vclock' });
    const [h1, , h3] = homesOf('k');
    net.run(200);
    net.cut.add(h3!);
    expect(net.request(h1!, { kind: 'put', key: 'k', value: 'a', context: EMPTY_CONTEXT })).toMatchObject({ type: 'put' });
    net.cut.clear();
    net.run(3000);
    expect(net.nodes.get(h3!)!.store.siblings(keyIdOf('k')).map((s) => s.value)).toEqual(['a']);
  });

  it('under last-write-wins keeps the write stamped latest, even one that had not seen the other', () => {
    const net = new Net({ n: 3, w: 3, r: 3, sloppy: false, resolution: 'lww' });
    net.run(200);
    net.request('n1', { kind: 'put', key: 'k', value: 'early', context: EMPTY_CONTEXT });
    net.run(100);
    net.request('n2', { kind: 'put', key: 'k', value: 'late', context: EMPTY_CONTEXT });
    expect(net.request('n3', { kind: 'get', key: 'k' })).toMatchObject({ values: ['late'] });
  });
});
