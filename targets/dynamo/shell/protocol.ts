/** The client protocol: one JSON frame per request and per reply, matched by `id` (targets/common/connection.ts). */
import type { ClientReply, ClientRequest } from '../core/types.js';

export type ClientFrame = { id: number } & ClientRequest;
export type ReplyFrame = { id: number } & ClientReply;

/** Whether a frame from a client is a request this node understands (the core checks the rest). */
export function isClientFrame(x: unknown): x is ClientFrame {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as { id?: unknown; kind?: unknown };
  return typeof f.id === 'number' && ['get', 'put', 'local', 'status'].includes(f.kind as string);
}
