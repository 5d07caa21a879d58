/**
 * The history as the test goes: every op gets its index and its time
 * (nanoseconds since the test began, monotonic) and is appended to
 * history.jsonl at once, so a controller that dies leaves it behind.
 */
import { HistoryWriter } from '../history/jsonl.js';
import type { Op, OpType, Process } from '../history/op.js';

export interface OpCounts {
  ok: number;
  fail: number;
  info: number;
}

export class Recorder {
  readonly ops: Op[] = [];
  readonly counts: OpCounts = { ok: 0, fail: 0, info: 0 };
  private readonly writer: HistoryWriter;
  private readonly t0 = process.hrtime.bigint();

  constructor(path: string) {
    this.writer = new HistoryWriter(path);
  }

  /** Nanoseconds since the recorder was made. */
  now(): number {
    return Number(process.hrtime.bigint() - this.t0);
  }

  record(type: OpType, process: Process, f: string, value: unknown, extra: { node?: string; error?: unknown } = {}): Op {
    const op: Op = { index: this.ops.length, time: this.now(), type, process, f, value };
    if (extra.node !== undefined) op.node = extra.node;
    if (extra.error !== undefined) op.error = extra.error;
    this.ops.push(op);
    this.writer.append(op);
    if (process !== 'nemesis' && type !== 'invoke') this.counts[type]++;
    return op;
  }

  close(): void {
    this.writer.close();
  }
}
