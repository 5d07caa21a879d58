/** Words for transactions and their relations, shared by the explanations of both workloads. */
import type { Txn } from './txns.js';
import type { TxnRef } from './result.js';
import { show } from './values.js';

/** Names T1, T2, ... for the given transactions, in order. */
export function txnRefs(txns: readonly Txn[]): TxnRef[] {
  return txns.map((t, i) => {
    const ref: TxnRef = { name: `T${i + 1}`, index: t.index, process: t.process, type: t.type, value: t.value };
    if (t.invokeIndex >= 0) ref.invokeIndex = t.invokeIndex;
    return ref;
  });
}

/** A transaction's micro-ops as Elle writes them, long lists elided: "[append x 1] [r y [1 2 … 9]]". */
export function microOpsText(value: unknown): string {
  return Array.isArray(value) ? value.map((m) => show(m)).join(' ') : show(value);
}

/** "T1 = op 12 (process 3): [append x 1] [r y [1 2]]" lines, one per transaction. */
export function letBlock(refs: readonly TxnRef[]): string {
  const lines = refs.map((r) => {
    const outcome = r.type === 'ok' ? '' : `, ${r.type === 'info' ? 'indeterminate' : 'failed'}`;
    return `  ${r.name} = op ${r.index} (process ${r.process}${outcome}): ${microOpsText(r.value)}`;
  });
  return `Let:\n${lines.join('\n')}`;
}

function seconds(ns: number): string {
  return Number.isFinite(ns) ? ` (${(ns / 1e9).toFixed(3)} s)` : '';
}

export function processReason(a: Txn, b: Txn, an: string, bn: string): string {
  return `process ${a.process} ran ${an} before ${bn}`;
}

export function realtimeReason(a: Txn, b: Txn, an: string, bn: string): string {
  return `${an} completed at op ${a.index}${seconds(a.completeTime)}, before ${bn} began at op ${b.invokeIndex}${seconds(b.invokeTime)}`;
}

/** "Then: - T1 < T2, because ... - However, T2 < T1, because ...: a contradiction!" */
export function cycleText(refs: readonly TxnRef[], steps: readonly { from: string; to: string; text: string }[]): string {
  const lines = steps.map((s, i) => {
    const last = i === steps.length - 1 && steps.length > 1;
    return `  - ${last ? 'However, ' : ''}${s.from} < ${s.to}, because ${s.text}${last ? ': a contradiction!' : '.'}`;
  });
  return `${letBlock(refs)}\n\nThen:\n${lines.join('\n')}`;
}
