/**
 * Client operations as spans: an invocation paired with its completion.
 * The timeline and the plots draw spans, not raw history events.
 */
import type { History, Op } from '../harness/history/op.js';

export type SpanType = 'ok' | 'fail' | 'info';

export interface Span {
  process: number;
  f: string;
  /** 'info' also for an invocation that never completed. */
  type: SpanType;
  invoke: Op;
  /** Absent when the op never completed (it runs to the end of the test). */
  completion?: Op;
  /** Nanoseconds since the test began. */
  start: number;
  /** Completion time; for info ops (unknown outcome) the end of the test. */
  end: number;
}

/** Last time in the history (ns), at least 1 so scales never divide by zero. */
export function historyEnd(history: History): number {
  let end = 1;
  for (const op of history) if (op.time > end) end = op.time;
  return end;
}

/**
 * Pair each client invocation with the next completion of its process.
 * Completions with no invocation are ignored; spans come in invocation order.
 */
export function clientSpans(history: History, end = historyEnd(history)): Span[] {
  const spans: Span[] = [];
  const open = new Map<number, Span>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      const span: Span = { process: op.process, f: op.f, type: 'info', invoke: op, start: op.time, end };
      open.set(op.process, span);
      spans.push(span);
      continue;
    }
    const span = open.get(op.process);
    if (!span) continue;
    open.delete(op.process);
    span.completion = op;
    span.type = op.type;
    // An info op may have taken effect at any time after its invocation.
    if (op.type !== 'info') span.end = op.time;
  }
  return spans;
}

/** Completion latency in nanoseconds, when the op completed. */
export function latency(span: Span): number | undefined {
  return span.completion ? span.completion.time - span.start : undefined;
}
