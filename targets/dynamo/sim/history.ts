/** The simulation's clients' operations, recorded in the harness' history model (times in ns of simulated time). */
import type { Op, OpType, Process } from '../../../harness/history/op.js';

export class ProcessHistory {
  readonly ops: Op[] = [];

  constructor(private readonly nowMs: () => number) {}

  private push(type: OpType, process: Process, f: string, value: unknown, node?: string, error?: string): void {
    const op: Op = { index: this.ops.length, time: Math.round(this.nowMs() * 1e6), type, process, f, value };
    if (node !== undefined) op.node = node;
    if (error !== undefined) op.error = error;
    this.ops.push(op);
  }

  invoke(process: number, f: string, value: unknown, node: string): void {
    this.push('invoke', process, f, value, node);
  }

  complete(process: number, type: Exclude<OpType, 'invoke'>, f: string, value: unknown, node: string, error?: string): void {
    this.push(type, process, f, value, node, error);
  }

  /** A nemesis-style heal marker, then the final look at every home's copy of every key. */
  final(keys: { key: unknown; replicas: Record<string, unknown[]> }[]): void {
    this.push('info', 'nemesis', 'heal-all', null);
    const process = 1 + this.ops.reduce((m, o) => (typeof o.process === 'number' && o.process > m ? o.process : m), -1);
    this.push('invoke', process, 'converge', { keys: keys.map((k) => k.key) });
    this.push('ok', process, 'converge', { agreed: true, keys });
  }
}
