/**
 * History as JSON Lines: one op per line, appended while a test runs.
 *
 * Each line is written with one write(2) call as soon as the op happens, so a
 * controller killed with SIGKILL leaves every completed line in the file (the
 * kernel has it). `sync()` additionally asks the disk to keep it.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import { opFromRecord } from './from-map.js';
import type { Op } from './op.js';

export class HistoryWriter {
  private fd: number | undefined;
  private count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  get length(): number {
    return this.count;
  }

  append(op: Op): void {
    if (this.fd === undefined) throw new Error(`history ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(op) + '\n');
    this.count++;
  }

  sync(): void {
    if (this.fd !== undefined) fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface ParsedJsonl {
  ops: Op[];
  /** Set when the last line was cut short (a controller killed mid-write) and was skipped. */
  truncatedLastLine: boolean;
}

export function parseJsonlHistory(text: string, file: string): ParsedJsonl {
  const ops: Op[] = [];
  let truncatedLastLine = false;
  let start = 0;
  let line = 0;
  while (start < text.length) {
    line++;
    let end = text.indexOf('\n', start);
    const terminated = end !== -1;
    if (!terminated) end = text.length;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch {
      if (!terminated) {
        truncatedLastLine = true;
        break;
      }
      throw new InputError(file, line, 'expected one JSON object per line (JSON Lines)');
    }
    ops.push(opFromRecord(rec, ops.length, file, line));
  }
  if (ops.length === 0) throw new InputError(file, undefined, 'expected at least one operation, found none');
  return { ops, truncatedLastLine };
}
