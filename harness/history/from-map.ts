/**
 * Turning a decoded record (from JSON or EDN) into an `Op`, with one clear
 * error when a field is missing or of the wrong kind.
 */
import { InputError } from '../errors.js';
import { isOpType, type Op, type Process } from './op.js';

export function toProcess(x: unknown): Process | undefined {
  if (x === 'nemesis') return 'nemesis';
  if (typeof x === 'number' && Number.isInteger(x)) return x;
  return undefined;
}

/**
 * Build an Op from a record with Jepsen's field names. `index` is the op's
 * position in the history; `time` defaults to it when the record has none.
 */
export function opFromRecord(rec: unknown, index: number, file: string, line: number | undefined): Op {
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
    throw new InputError(file, line, 'expected an operation map with :type, :process and :f');
  }
  const r = rec as Record<string, unknown>;
  const type = r['type'];
  if (!isOpType(type)) {
    throw new InputError(file, line, `expected :type to be one of invoke, ok, fail, info; found ${show(type)}`);
  }
  const process = toProcess(r['process']);
  if (process === undefined) {
    throw new InputError(file, line, `expected :process to be an integer or :nemesis; found ${show(r['process'])}`);
  }
  const f = r['f'];
  if (typeof f !== 'string') throw new InputError(file, line, `expected :f to be a keyword or string; found ${show(f)}`);
  const time = r['time'];
  const op: Op = {
    index,
    time: typeof time === 'number' ? time : index,
    type,
    process,
    f,
    value: r['value'] === undefined ? null : r['value'],
  };
  if (typeof r['node'] === 'string') op.node = r['node'];
  if (r['error'] !== undefined && r['error'] !== null) op.error = r['error'];
  return op;
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
