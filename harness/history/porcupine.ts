/**
 * Porcupine's test-data formats.
 *
 * - `jepsen/etcd_NNN.log`: Jepsen log lines of an etcd register test,
 *   `INFO  jepsen.util - <process>\t:<type>\t:<f>\t<value as EDN>`. The
 *   fields may be separated by any whitespace (etcd_100 to etcd_102 use
 *   spaces), as Porcupine reads them. Other log lines are ignored, as
 *   Porcupine does.
 * - `kv/cNN-*.txt`: one EDN map per line with :process, :type, :f
 *   (get | put | append), :key and :value. We fold the key into the value,
 *   `[key, value]`, the shape of Jepsen's independent keys.
 */
import { InputError } from '../errors.js';
import { EdnReader } from './edn.js';
import { isOpType, type Op } from './op.js';

const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:([\w-]+)\s+:([\w-]+)\s+(.*?)\s*$/;

export function parsePorcupineEtcd(text: string, file: string): Op[] {
  const ops: Op[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = ETCD_LINE.exec(lines[i]!);
    if (!m) continue;
    const [, proc, type, f, rawValue] = m as unknown as [string, string, string, string, string];
    if (!isOpType(type)) throw new InputError(file, i + 1, `expected :invoke, :ok, :fail or :info; found :${type}`);
    const value = new EdnReader(rawValue, file).read();
    ops.push({ index: ops.length, time: ops.length, type, process: Number(proc), f, value });
  }
  if (ops.length === 0) {
    throw new InputError(file, undefined, "expected Jepsen log lines like 'INFO  jepsen.util - 0\\t:invoke\\t:read\\tnil'; found none");
  }
  return ops;
}

export function parsePorcupineKv(text: string, file: string): Op[] {
  const reader = new EdnReader(text, file);
  const ops: Op[] = [];
  while (reader.skipSpace()) {
    const line = reader.currentLine;
    const rec = reader.read();
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      throw new InputError(file, line, 'expected one map per line with :process, :type, :f, :key and :value');
    }
    const { process, type, f, key, value } = rec;
    if (typeof process !== 'number') throw new InputError(file, line, 'expected :process to be an integer');
    if (!isOpType(type)) throw new InputError(file, line, 'expected :type to be :invoke, :ok, :fail or :info');
    if (f !== 'get' && f !== 'put' && f !== 'append') throw new InputError(file, line, 'expected :f to be :get, :put or :append');
    if (typeof key !== 'string') throw new InputError(file, line, 'expected :key to be a string');
    ops.push({ index: ops.length, time: ops.length, type, process, f, value: [key, value ?? null] });
  }
  if (ops.length === 0) throw new InputError(file, undefined, 'expected at least one operation, found none');
  return ops;
}
