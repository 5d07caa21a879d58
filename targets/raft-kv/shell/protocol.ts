/** The client protocol: one JSON frame per request and per response, matched by `id`. */
import type { ClientReply } from '../replica.js';
import type { Role } from '../raft/types.js';

export type ClientRequestBody = { kind: 'op'; client: string; seq: number; f: string; value: unknown } | { kind: 'status' };

export type ClientFrame = { id: number } & ClientRequestBody;

export interface NodeStatus {
  node: string;
  role: Role;
  term: number;
  lead: string | null;
  commit: number;
  applied: number;
}

export type ServerFrame = { id: number } & (ClientReply | { type: 'status'; status: NodeStatus });

export function isClientFrame(x: unknown): x is ClientFrame {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as Record<string, unknown>;
  if (typeof f.id !== 'number') return false;
  if (f.kind === 'status') return true;
  return f.kind === 'op' && typeof f.client === 'string' && typeof f.seq === 'number' && typeof f.f === 'string';
}
