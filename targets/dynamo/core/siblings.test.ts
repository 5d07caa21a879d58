import { describe, expect, it } from 'vitest';
import { Rng } from '../../raft-kv/sim/rng.js';
import { applyWrite, contextOf, dotsOf, merge, NO_SIBLINGS, type Resolution, type Siblings } from './siblings.js';
import { EMPTY_CONTEXT, withDot, type Context } from './vclock.js';

const write = (local: Siblings, value: unknown, node: string, counter: number, context: Context = EMPTY_CONTEXT, ts = counter, res: Resolution = 'vclock') =>
  applyWrite(local, { value, context, dot: { node, counter }, ts }, res);
const values = (s: Siblings) => s.map((x) => x.value);

describe('siblings under vector clocks', () => {
  it('keeps concurrent writes as siblings, and a write that read them replaces them', () => {
    const a = write(NO_SIBLINGS, 'a', 'n1', 1);
    const b = write(NO_SIBLINGS, 'b', 'n2', 1);
    const both = merge(a, b, 'vclock');
    expect(values(both)).toEqual(['a', 'b']);
    const c = write(both, 'c', 'n1', 2, contextOf(both));
    expect(values(c)).toEqual(['c']);
    // A replica that still holds a and b drops them once it hears of c.
    expect(values(merge(both, c, 'vclock'))).toEqual(['c']);
  });

  it('does not let a second blind write of one coordinator replace its first', () => {
    const first = write(NO_SIBLINGS, 'first', 'n1', 1);
    // Another client wrote through n1 with an old context: both stay.
    const second = write(first, 'second', 'n1', 2);
    expect(values(second)).toEqual(['first', 'second']);
    // A client that wrote 'second' and writes again replaces only its own write.
    const third = write(second, 'third', 'n1', 3, withDot(EMPTY_CONTEXT, { node: 'n1', counter: 2 }));
    expect(values(third)).toEqual(['first', 'third']);
    expect(values(merge(second, third, 'vclock'))).toEqual(['first', 'third']);
  });

  it('merges commutatively, associatively and idempotently (random runs of three nodes)', () => {
    // As in the store: each node writes on top of its own state, with a context some client read, and states spread by merging.
    const rng = new Rng(7);
    const nodes = ['n1', 'n2', 'n3'];
    const local = new Map<string, Siblings>(nodes.map((n) => [n, NO_SIBLINGS]));
    const seen: Siblings[] = [];
    let counter = 0;
    for (let i = 0; i < 400; i++) {
      const node = rng.pick(nodes);
      if (rng.chance(0.5)) {
        const read = rng.chance(0.2) ? NO_SIBLINGS : merge(local.get(rng.pick(nodes))!, local.get(rng.pick(nodes))!, 'vclock');
        local.set(node, write(local.get(node)!, i, node, ++counter, contextOf(read)));
      } else {
        local.set(node, merge(local.get(node)!, local.get(rng.pick(nodes))!, 'vclock'));
      }
      seen.push(local.get(node)!);
    }
    for (let i = 0; i < 300; i++) {
      const [a, b, c] = [rng.pick(seen), rng.pick(seen), rng.pick(seen)];
      expect(dotsOf(merge(a, b, 'vclock'))).toBe(dotsOf(merge(b, a, 'vclock')));
      expect(dotsOf(merge(merge(a, b, 'vclock'), c, 'vclock'))).toBe(dotsOf(merge(a, merge(b, c, 'vclock'), 'vclock')));
      expect(dotsOf(merge(a, a, 'vclock'))).toBe(dotsOf(a));
    }
    // Once every node has merged every other's state, they agree.
    for (const n of nodes) for (const m of nodes) local.set(n, merge(local.get(n)!, local.get(m)!, 'vclock'));
    for (const n of nodes) for (const m of nodes) local.set(n, merge(local.get(n)!, local.get(m)!, 'vclock'));
    expect(new Set(nodes.map((n) => dotsOf(local.get(n)!))).size).toBe(1);
  });
});

describe('siblings under last-write-wins', () => {
  it('keeps the latest timestamp, even over a write that had seen it', () => {
    const a = write(NO_SIBLINGS, 'a', 'n1', 1, EMPTY_CONTEXT, 100, 'lww');
    // b read a, but its coordinator's clock is behind: a wins.
    const b = write(a, 'b', 'n2', 1, contextOf(a), 50, 'lww');
    expect(values(b)).toEqual(['a']);
    const c = write(NO_SIBLINGS, 'c', 'n3', 1, EMPTY_CONTEXT, 200, 'lww');
    expect(values(merge(a, c, 'lww'))).toEqual(['c']);
    expect(values(merge(c, a, 'lww'))).toEqual(['c']);
  });
});
