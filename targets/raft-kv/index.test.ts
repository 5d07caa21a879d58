import { describe, expect, it } from 'vitest';
import { raftKv } from './index.js';

describe('raft-kv as a target', () => {
  it('aims plain clock faults at the leader only when reads trust its clock', () => {
    expect(raftKv.clockFaults!({ bugs: [], options: { 'read-mode': 'lease' } })).toEqual(['rewind-primary']);
    expect(raftKv.clockFaults!({ bugs: [], options: { 'read-mode': 'log' } })).toBeUndefined();
    expect(raftKv.clockFaults!({ bugs: [], options: { 'read-mode': 'read-index' } })).toBeUndefined();
  });
});
