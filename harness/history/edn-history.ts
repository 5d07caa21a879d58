/**
 * Jepsen / Knossos / Elle `history.edn`: either one vector (or list) of op
 * maps, or one op map per top-level form (one per line, possibly spanning
 * several lines). EDN keywords become plain strings (`:x` is "x").
 */
import { InputError } from '../errors.js';
import { EdnReader, Keyword, isKeywordName, lineOf, writeEdn, type EdnValue, type EdnWritable } from './edn.js';
import { opFromRecord } from './from-map.js';
import type { Op } from './op.js';

export function parseEdnHistory(text: string, file: string): Op[] {
  const reader = new EdnReader(text, file);
  const ops: Op[] = [];
  const push = (form: EdnValue, line: number | undefined) => {
    ops.push(opFromRecord(form, ops.length, file, line));
  };
  while (reader.skipSpace()) {
    const line = reader.currentLine;
    const form = reader.read();
    if (Array.isArray(form)) {
      for (const item of form) push(item, (item && typeof item === 'object' && lineOf(item)) || line);
    } else {
      push(form, line);
    }
  }
  if (ops.length === 0) throw new InputError(file, undefined, 'expected at least one operation, found none');
  return ops;
}

/** Micro-op functions (txn values) and these fields are written back as keywords. */
function valueToEdn(f: string, value: unknown): EdnWritable {
  if (f === 'txn' && Array.isArray(value)) {
    return value.map((mop) =>
      Array.isArray(mop) && typeof mop[0] === 'string' && isKeywordName(mop[0])
        ? [new Keyword(mop[0]), ...(mop.slice(1) as EdnWritable[])]
        : (mop as EdnWritable),
    );
  }
  return value as EdnWritable;
}

/** One op as an EDN map, in Jepsen's spelling. */
export function opToEdn(op: Op): string {
  const m: { [k: string]: EdnWritable } = {
    index: op.index,
    time: op.time,
    type: new Keyword(op.type),
    process: op.process === 'nemesis' ? new Keyword('nemesis') : op.process,
    f: isKeywordName(op.f) ? new Keyword(op.f) : op.f,
    value: valueToEdn(op.f, op.value),
  };
  if (op.node !== undefined) m['node'] = op.node;
  if (op.error !== undefined) {
    m['error'] = typeof op.error === 'string' && isKeywordName(op.error) ? new Keyword(op.error) : (op.error as EdnWritable);
  }
  return writeEdn(m);
}

/** A whole history as EDN, one op map per line. */
export function historyToEdn(ops: readonly Op[]): string {
  return ops.map(opToEdn).join('\n') + '\n';
}
