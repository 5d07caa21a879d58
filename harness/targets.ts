/** The targets `harness test --target` knows. */
import { UsageError } from './errors.js';
import type { TargetDefinition } from './target.js';
import { dynamo } from '../targets/dynamo/index.js';
import { raftKv } from '../targets/raft-kv/index.js';
import { redisSentinel } from '../targets/redis-sentinel/index.js';

export const TARGETS: Readonly<Record<string, TargetDefinition>> = {
  'raft-kv': raftKv,
  'redis-sentinel': redisSentinel,
  dynamo,
};

export function targetByName(name: string): TargetDefinition {
  const t = TARGETS[name];
  if (!t) throw new UsageError(`unknown target '${name}'; expected one of ${Object.keys(TARGETS).join(', ')}`);
  return t;
}
