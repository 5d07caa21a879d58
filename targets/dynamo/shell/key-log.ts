/**
 * A node's durable keys: an append-only file of records (one JSON line per
 * change of a key), written with write(2) and no fsync, as Riak's bitcask
 * does by default: it survives the process being killed, not the machine
 * losing power. At start the file is read (the last record of a key wins, a
 * torn last line is ignored) and rewritten compacted.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyRecord } from '../core/types.js';

const FILE = 'keys.jsonl';

export class KeyLog {
  private constructor(private readonly fd: number) {}

  /** The records in `dir`, and a log that appends to them. */
  static open(dir: string): { log: KeyLog; records: Map<string, KeyRecord> } {
    const path = join(dir, FILE);
    const records = new Map<string, KeyRecord>();
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const { k, r } = JSON.parse(line) as { k: string; r: KeyRecord };
          records.set(k, r);
        } catch {
          // A line torn by a kill mid-write: the change was never acknowledged.
        }
      }
    }
    writeFileSync(`${path}.tmp`, [...records].map(([k, r]) => `${JSON.stringify({ k, r })}\n`).join(''));
    renameSync(`${path}.tmp`, path);
    return { log: new KeyLog(openSync(path, 'a')), records };
  }

  append(keyId: string, record: KeyRecord): void {
    writeSync(this.fd, `${JSON.stringify({ k: keyId, r: record })}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
