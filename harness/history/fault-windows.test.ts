import { describe, expect, it } from 'vitest';
import type { Op } from './op.js';
import { faultLabel, faultsAt, faultWindows } from './fault-windows.js';

let i = 0;
const nem = (t: number, f: string, value: unknown): Op => ({ index: i++, time: t * 1e9, type: 'info', process: 'nemesis', f, value });

describe('faultWindows', () => {
  it('runs from the start op completion to the stop op completion, labelled with the value', () => {
    i = 0;
    const h = [
      nem(1, 'start-partition', { topology: 'bridge', grudge: {} }),
      nem(1.1, 'start-partition', { topology: 'bridge', grudge: {} }),
      nem(2, 'kill', ['n1', 'n2']),
      nem(2.2, 'kill', ['n1', 'n2']),
      nem(3, 'stop-partition', null),
      nem(3.3, 'stop-partition', null),
      nem(4, 'bump-clock', { n3: 250 }),
      nem(4.1, 'bump-clock', { n3: 250 }),
    ];
    const ws = faultWindows(h, 10e9);
    expect(ws.map((w) => [w.kind, w.label, w.start / 1e9, w.end / 1e9, w.open])).toEqual([
      ['partition', 'start-partition bridge', 1.1, 3.3, false],
      ['kill', 'kill n1,n2', 2.2, 10, true],
      ['clock', 'bump-clock n3 250', 4.1, 10, true],
    ]);
  });

  it('ignores a stop with nothing in effect (the final heal)', () => {
    i = 0;
    expect(faultWindows([nem(1, 'reset-clock', ['n1']), nem(1.1, 'reset-clock', ['n1'])], 5e9)).toEqual([]);
  });

  it('opens no window for a start that failed', () => {
    i = 0;
    const failed: Op = { ...nem(1.2, 'start-partition', { topology: 'one' }), type: 'fail', error: 'iptables: not found' };
    expect(faultWindows([nem(1, 'start-partition', { topology: 'one' }), failed, nem(2, 'stop-partition', null), nem(2.1, 'stop-partition', null)], 5e9)).toEqual([]);
  });

  it('labels packet faults by kind and nodes', () => {
    expect(faultLabel({ nodes: ['n1'], kind: 'loss', fault: { loss: 0.2 } })).toBe('loss n1');
  });

  it('labels what was done: the node a primaries partition isolated, the nodes a kill of the primaries hit', () => {
    i = 0;
    const h = [
      nem(1, 'start-partition', { topology: 'primaries' }),
      nem(1.1, 'start-partition', { topology: 'primaries', leader: 'n4', grudge: {} }),
      nem(2, 'kill', 'primaries'),
      nem(2.1, 'kill', ['n2']),
    ];
    expect(faultWindows(h, 5e9).map((w) => w.label)).toEqual(['start-partition primaries n4', 'kill n2']);
  });
});

describe('faultsAt', () => {
  it('gives the windows in effect at a time: started, not yet stopped', () => {
    i = 0;
    const ws = faultWindows(
      [
        nem(1, 'start-partition', { topology: 'one', grudge: {} }),
        nem(1.1, 'start-partition', { topology: 'one', grudge: {} }),
        nem(2, 'kill', ['n1']),
        nem(2.1, 'kill', ['n1']),
        nem(3, 'stop-partition', null),
        nem(3.1, 'stop-partition', null),
      ],
      10e9,
    );
    const at = (t: number) => faultsAt(ws, t * 1e9).map((w) => w.label);
    expect(at(0.5)).toEqual([]);
    expect(at(1.05)).toEqual([]);
    expect(at(1.5)).toEqual(['start-partition one']);
    expect(at(2.5)).toEqual(['start-partition one', 'kill n1']);
    expect(at(3.5)).toEqual(['kill n1']);
  });
});
