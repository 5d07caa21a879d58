/**
 * `node dist/bench/write-histories.js DIR`: write the generated register
 * histories that `npm run bench` checks, as files any checker can read:
 * JSON lines (`harness check --model cas-register --init 0`) and Jepsen etcd
 * log lines (`--format porcupine-etcd --init 0`, Porcupine's own format),
 * to compare checkers side by side on the same histories.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Op } from '../harness/history/op.js';
import { uniqueValueClasses } from './register-histories.js';

function ednValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `[${v.map(ednValue).join(' ')}]`;
  return String(v);
}

/** Jepsen's log line for an op, as in Porcupine's etcd logs. */
export function jepsenLogLine(op: Op): string {
  return `INFO  jepsen.util - ${op.process}\t:${op.type}\t:${op.f}\t${ednValue(op.value)}`;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-histories DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const c of uniqueValueClasses()) {
  for (const h of c.histories) {
    const base = join(dir, `${c.name}-${h.name}`);
    writeFileSync(`${base}.jsonl`, h.ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    writeFileSync(`${base}.log`, h.ops.map(jepsenLogLine).join('\n') + '\n');
  }
}
console.log(`wrote ${dir}`);
