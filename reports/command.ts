/**
 * The `harness test` command line that reproduces a run from its TestSpec
 * (flags as harness/cli.ts defines them; target options are `--<name> value`).
 */
import type { TestSpec } from '../harness/run-record.js';
import { shellQuote } from './escape.js';

export function reproduceCommand(spec: TestSpec): string {
  const args: string[] = ['harness', 'test', '--target', spec.target, '--workload', spec.workload];
  args.push('--nodes', String(spec.nodes), '--concurrency', String(spec.concurrency), '--rate', String(spec.rate), '--time-limit', String(spec.timeLimit));
  if (spec.nemesis.length > 0) args.push('--nemesis', spec.nemesis.join(','), '--nemesis-interval', String(spec.nemesisInterval));
  args.push('--seed', String(spec.seed));
  if (spec.provisioner !== 'local') args.push('--provisioner', spec.provisioner);
  for (const b of spec.bugs) args.push('--bug', b);
  for (const [k, v] of Object.entries(spec.options).sort(([a], [b]) => a.localeCompare(b))) args.push(`--${k}`, v);
  if (spec.store && spec.store !== 'store') args.push('--store', spec.store);
  return args.map(shellQuote).join(' ');
}
