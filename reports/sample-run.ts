/**
 * A synthetic run (spec, results, history) for the report's tests and for
 * looking at a rendered report without running a cluster:
 *   node dist/reports/sample-run.js > /tmp/sample.html
 * Deterministic: the same options give the same run.
 */
import { pathToFileURL } from 'node:url';
import type { LinearizabilityResult, OpRef } from '../checkers/linearizable/index.js';
import type { Op } from '../harness/history/op.js';
import type { RunResults, TestSpec } from '../harness/run-record.js';
import { renderReport, type ReportInput } from './html.js';

export interface SampleOptions {
  /** Client operations (invocations). */
  ops?: number;
  processes?: number;
  /** Seconds. */
  duration?: number;
  /** Make the linearizable checker fail with a counterexample. */
  invalid?: boolean;
}

const S = 1e9;

export function sampleRun(o: SampleOptions = {}): ReportInput {
  const ops = o.ops ?? 400;
  const processes = o.processes ?? 5;
  const duration = o.duration ?? 10;
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

  // Events as [time, op without index]; sorted and indexed at the end.
  const events: Omit<Op, 'index'>[] = [];
  const nemesis = (t: number, f: string, value: unknown, done: unknown = value) => {
    events.push({ time: t * S, type: 'info', process: 'nemesis', f, value });
    events.push({ time: (t + 0.05) * S, type: 'info', process: 'nemesis', f, value: done });
  };
  nemesis(duration * 0.2, 'start-partition', { topology: 'majorities-ring', grudge: { n1: ['n2'], n2: ['n1'] } });
  nemesis(duration * 0.5, 'stop-partition', null);
  nemesis(duration * 0.6, 'kill', ['n1', 'n3']);
  nemesis(duration * 0.8, 'start', ['n1', 'n3']);

  const gap = (duration * S * processes) / ops;
  for (let w = 0; w < processes; w++) {
    let process = w;
    let t = rand() * gap;
    for (let i = 0; i < ops / processes && t < duration * S; i++) {
      const kind = rand();
      const f = kind < 0.5 ? 'read' : kind < 0.85 ? 'write' : 'cas';
      const value = f === 'read' ? null : f === 'write' ? Math.floor(rand() * 5) : [Math.floor(rand() * 5), Math.floor(rand() * 5)];
      const lat = gap * (0.05 + rand() * 0.6) * (rand() < 0.02 ? 10 : 1);
      const outcome = rand();
      const type = outcome < 0.85 ? 'ok' : outcome < 0.97 ? 'fail' : 'info';
      events.push({ time: t, type: 'invoke', process, f, value, node: `n${(w % 5) + 1}` });
      const done: Omit<Op, 'index'> = { time: t + lat, type, process, f, value: f === 'read' && type === 'ok' ? Math.floor(rand() * 5) : value };
      if (type !== 'ok') done.error = type === 'fail' ? 'not leader <n2>' : 'timeout';
      events.push(done);
      if (type === 'info') process += processes; // retired, as in Jepsen
      t += lat + gap * rand();
    }
  }
  events.sort((a, b) => a.time - b.time);
  const history: Op[] = events.map((e, index) => ({ index, ...e }));

  const spec: TestSpec = {
    target: 'raft-kv',
    workload: 'register',
    nemesis: ['partition', 'kill'],
    nemesisInterval: 2,
    nodes: 5,
    concurrency: processes,
    rate: Math.round(ops / duration),
    timeLimit: duration,
    recoveryTimeout: 30,
    seed: 7,
    provisioner: 'local',
    bugs: o.invalid ? ['stale-read'] : [],
    options: { 'read-mode': 'lease', note: '<b>"odd" & \'quoted\'</b>' },
    store: 'store',
  };
  const lin: LinearizabilityResult = { valid: true, model: 'register', calls: ops, configurations: ops * 3, droppedFailed: 12, droppedReadOnly: 3 };
  if (o.invalid) {
    const { culprit, concurrent } = pickCounterexample(history);
    lin.valid = false;
    lin.counterexample = {
      op: culprit,
      concurrent,
      concurrentCount: concurrent.length,
      statesBefore: ['3', '4'],
      prefix: [
        { index: 0, process: 0, outcome: 'ok', description: 'write 3', stateAfter: '3' },
        { index: 2, process: 1, outcome: 'ok', description: 'write 4 <fast>', stateAfter: '4' },
      ],
      prefixLength: 57,
      explanation: `Process ${culprit.process}'s ${culprit.description} (op ${culprit.index}) cannot be linearized. Every order leaves the register in one of the states 3, 4 <and> "x".`,
    };
  }
  const results: RunResults = {
    valid: o.invalid ? false : true,
    reasons: o.invalid ? ['linearizable: not linearizable: read 1 saw a stale value'] : [],
    ...(o.invalid ? { reason: 'linearizable: not linearizable: read 1 saw a stale value' } : {}),
    stats: {
      ops: { read: { ok: 300, fail: 20, info: 4, open: 0 }, write: { ok: 90, fail: 10, info: 3, open: 0 }, cas: { ok: 40, fail: 30, info: 3, open: 1 } },
      okOps: 430,
      finals: { asked: 4, ok: 4 },
      faults: { partition: { asked: true, started: 3, applied: 3, failed: 0, stopsFailed: 0 }, kill: { asked: true, started: 2, applied: 1, failed: 1, stopsFailed: 0 } },
      failedFaultOps: [{ index: 40, f: 'kill', error: 'kill n3: <no such process>', partial: false }],
    },
    recovery: { served: true, afterMs: 1250 },
    harnessErrors: { count: 0, first: [] },
    healFailures: o.invalid ? ['heal partitions: iptables <exploded>'] : [],
    checkers: {
      linearizable: { valid: lin.valid, summary: o.invalid ? 'not linearizable: read 1 saw a stale value' : `linearizable (${ops} ops)`, details: lin },
      set: {
        valid: true,
        summary: 'no acknowledged add was lost',
        details: {
          lost: [],
          unexpected: [],
          duplicated: [],
          failedApplied: [],
          stale: [],
          recovered: Array.from({ length: 130 }, (_, i) => ({ element: i, invokeIndex: i, completionIndex: i + 1, time: i * 1e6, process: 1 })),
          attempted: 500,
          acknowledged: 370,
          read: 500,
        },
      },
      stats: { valid: true, summary: 'ok 85%, fail 12%, info 3%', details: { ok: 0.85, fail: 0.12, info: 0.03, note: '</pre><script>' } },
    },
    startedAt: '2025-01-02T03:04:05.000Z',
    endedAt: '2025-01-02T03:04:20.000Z',
    runId: '20250102T030405-ab12',
    notes: o.invalid ? ['nemesis could not heal n3 <iptables>'] : [],
  };
  return { spec, results, history, runDir: 'store/raft-kv/20250102T030405-ab12' };
}

/** A completed read in the middle of the partition, and the client ops overlapping it. */
function pickCounterexample(history: readonly Op[]): { culprit: OpRef; concurrent: OpRef[] } {
  const end = history.at(-1)?.time ?? 1;
  const completionOf = new Map<Op, Op>();
  const open = new Map<unknown, Op>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') open.set(op.process, op);
    else if (open.has(op.process)) completionOf.set(open.get(op.process)!, op);
  }
  const ref = (inv: Op): OpRef => {
    const c = completionOf.get(inv);
    const r: OpRef = { index: inv.index, process: inv.process as number, outcome: c?.type === 'ok' ? 'ok' : c?.type === 'fail' ? 'failed' : 'unknown', description: `${inv.f} ${JSON.stringify(inv.value)}` };
    if (c) r.completionIndex = c.index;
    return r;
  };
  const inv = history.find((op) => op.type === 'invoke' && op.f === 'read' && op.time > end * 0.35)!;
  const culprit = ref(inv);
  const cEnd = history[culprit.completionIndex ?? history.length - 1]!.time;
  const concurrent = history
    .filter((op) => op.type === 'invoke' && op.process !== 'nemesis' && op !== inv && op.time < cEnd && (completionOf.get(op)?.time ?? end) > inv.time)
    .slice(0, 12)
    .map(ref);
  return { culprit, concurrent };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ops = Number(process.argv[2] ?? 400);
  process.stdout.write(renderReport(sampleRun({ ops, invalid: process.argv[3] !== 'valid' })));
}
