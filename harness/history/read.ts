/**
 * Reading a history file in any supported format, detected from its name
 * and first bytes unless the caller names the format.
 */
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { parseEdnHistory } from './edn-history.js';
import { parseJsonlHistory } from './jsonl.js';
import type { Op } from './op.js';
import { parsePorcupineEtcd, parsePorcupineKv } from './porcupine.js';

export const HISTORY_FORMATS = ['jsonl', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

export function parseFormat(s: string): HistoryFormat | 'auto' {
  if (s === 'auto' || (HISTORY_FORMATS as readonly string[]).includes(s)) return s as HistoryFormat | 'auto';
  throw new UsageError(`unknown format '${s}'; expected one of auto, ${HISTORY_FORMATS.join(', ')}`);
}

export function detectFormat(file: string, text: string): HistoryFormat {
  const head = text.slice(0, 4096).trimStart();
  if (/^INFO\s+jepsen\.util/m.test(head)) return 'porcupine-etcd';
  if (file.endsWith('.jsonl') || head.startsWith('{"')) return 'jsonl';
  if (/^\{:process \d+, :type :\w+, :f :(get|put|append), :key /.test(head)) return 'porcupine-kv';
  if (file.endsWith('.edn') || /^[[({;#]/.test(head)) return 'edn';
  throw new InputError(file, 1, 'cannot tell the format of this file; name it with --format jsonl|edn|porcupine-etcd|porcupine-kv');
}

export interface LoadedHistory {
  file: string;
  format: HistoryFormat;
  ops: Op[];
  warnings: string[];
}

export function parseHistory(text: string, file: string, format: HistoryFormat | 'auto' = 'auto'): LoadedHistory {
  const f = format === 'auto' ? detectFormat(file, text) : format;
  switch (f) {
    case 'jsonl': {
      const { ops, truncatedLastLine } = parseJsonlHistory(text, file);
      const warnings = truncatedLastLine ? [`${file}: the last line was cut short (the writer was killed); it was skipped`] : [];
      return { file, format: f, ops, warnings };
    }
    case 'edn':
      return { file, format: f, ops: parseEdnHistory(text, file), warnings: [] };
    case 'porcupine-etcd':
      return { file, format: f, ops: parsePorcupineEtcd(text, file), warnings: [] };
    case 'porcupine-kv':
      return { file, format: f, ops: parsePorcupineKv(text, file), warnings: [] };
  }
}

export function readHistory(file: string, format: HistoryFormat | 'auto' = 'auto'): LoadedHistory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, undefined, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(e)})`);
  }
  return parseHistory(text, file, format);
}
