/**
 * Small hand-written histories of keyed reads and writes, for the tests of
 * the replicated-store checkers: each event is one millisecond after the last.
 */
import type { Op, OpType, Process } from '../harness/history/op.js';

export class KeyedHistoryBuilder {
  readonly ops: Op[] = [];

  private push(type: OpType, process: Process, f: string, value: unknown): this {
    this.ops.push({ index: this.ops.length, time: this.ops.length * 1e6, type, process, f, value });
    return this;
  }

  invoke(p: number, f: 'read' | 'write', key: unknown, value: unknown = null): this {
    return this.push('invoke', p, f, [key, value]);
  }

  ok(p: number, f: 'read' | 'write', key: unknown, value: unknown): this {
    return this.push('ok', p, f, [key, value]);
  }

  end(p: number, type: 'fail' | 'info', f: 'read' | 'write', key: unknown, value: unknown = null): this {
    return this.push(type, p, f, [key, value]);
  }

  /** An acknowledged write, invoked and completed at once. */
  write(p: number, key: unknown, value: unknown): this {
    return this.invoke(p, 'write', key, value).ok(p, 'write', key, value);
  }

  /** An `ok` read that returned these siblings. */
  read(p: number, key: unknown, siblings: unknown[]): this {
    return this.invoke(p, 'read', key).ok(p, 'read', key, siblings);
  }

  nemesis(f: string): this {
    return this.push('info', 'nemesis', f, null);
  }

  /** A look at every replica's copies: `ok` when they agree. */
  converge(p: number, keys: { key: unknown; replicas: Record<string, unknown[]> }[], agreed = true): this {
    this.push('invoke', p, 'converge', { keys: keys.map((k) => k.key) });
    return this.push(agreed ? 'ok' : 'fail', p, 'converge', { agreed, keys });
  }
}
