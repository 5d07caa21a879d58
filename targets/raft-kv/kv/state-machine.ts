/**
 * The replicated key-value state machine, with per-client deduplication:
 * a command carries (client, seq) and a retried command is applied at most once.
 */
import { SET_KEY, type Key, type KvOp, type KvResult } from './ops.js';

export interface Command {
  client: string;
  seq: number;
  op: KvOp;
}

interface Session {
  seq: number;
  result: KvResult;
}

export interface KvSnapshot {
  /** Keys as JSON text (so 3 and "3" stay apart), with their values. */
  data: [string, unknown][];
  sessions: [string, Session][];
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The map key of a key: its JSON text, so a key keeps its type. */
const slot = (k: Key): string => JSON.stringify(k);

function clone<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

export class KvStateMachine {
  private data = new Map<string, unknown>();
  private sessions = new Map<string, Session>();

  /** Apply a committed command; a duplicate gets the first application's result. */
  apply(cmd: Command): KvResult {
    const s = this.sessions.get(cmd.client);
    if (s && cmd.seq <= s.seq) {
      return cmd.seq === s.seq ? s.result : { type: 'fail', error: 'superseded' };
    }
    const result = this.execute(cmd.op);
    if (cmd.op.f !== 'read' && cmd.op.f !== 'read-set') this.sessions.set(cmd.client, { seq: cmd.seq, result });
    return result;
  }

  /** Evaluate a read-only op against the current state without changing it. */
  read(op: KvOp): KvResult {
    if (op.f === 'read' || op.f === 'read-set' || (op.f === 'txn' && op.ops.every((m) => m.f === 'r'))) return this.execute(op);
    throw new Error(`${op.f} is not read-only`);
  }

  private get(key: Key): unknown {
    return clone(this.data.get(slot(key)) ?? null);
  }

  private execute(op: KvOp): KvResult {
    switch (op.f) {
      case 'read':
        return { type: 'ok', value: this.get(op.key) };
      case 'read-set':
        return { type: 'ok', value: this.get(SET_KEY) ?? [] };
      case 'write':
        this.data.set(slot(op.key), clone(op.value));
        return { type: 'ok', value: null };
      case 'cas': {
        const cur = this.data.get(slot(op.key)) ?? null;
        if (!equal(cur, op.from)) return { type: 'fail', error: `cas: expected ${JSON.stringify(op.from)}, found ${JSON.stringify(cur)}` };
        this.data.set(slot(op.key), clone(op.to));
        return { type: 'ok', value: null };
      }
      case 'add':
        return this.appendTo(SET_KEY, op.element);
      case 'txn': {
        for (const m of op.ops) {
          const cur = this.data.get(slot(m.key));
          if (m.f === 'append' && cur !== undefined && !Array.isArray(cur)) {
            return { type: 'fail', error: `txn: key ${m.key} does not hold a list` };
          }
        }
        const out = op.ops.map((m) => {
          if (m.f === 'r') return ['r', m.key, this.get(m.key)];
          this.appendTo(m.key, m.value);
          return ['append', m.key, m.value];
        });
        return { type: 'ok', value: out };
      }
    }
  }

  private appendTo(key: Key, value: unknown): KvResult {
    const cur = this.data.get(slot(key));
    if (cur === undefined) this.data.set(slot(key), [clone(value)]);
    else if (Array.isArray(cur)) cur.push(clone(value));
    else return { type: 'fail', error: `key ${key} does not hold a list` };
    return { type: 'ok', value: null };
  }

  snapshot(): KvSnapshot {
    return clone({ data: [...this.data], sessions: [...this.sessions] });
  }

  restore(s: KvSnapshot): void {
    const c = clone(s);
    this.data = new Map(c.data);
    this.sessions = new Map(c.sessions);
  }
}
