/** The client protocol: one JSON frame per request and per reply, matched by `id`. */
import type { ClientReply, ClientRequest } from '../core/types.js';

export interface ClientFrame {
  id: number;
  req: ClientRequest;
}

export interface ReplyFrame {
  id: number;
  reply: ClientReply;
}

/** Whether a frame from a client is a request this node understands (the core checks the rest). */
export function isClientFrame(x: unknown): x is ClientFrame {
  if (typeof x !== 'object' || x === null) return false;
  const f = x as { id?: unknown; req?: { kind?: unknown } };
  return typeof f.id === 'number' && typeof f.req === 'object' && f.req !== null && ['get', 'put', 'local', 'status'].includes(f.req.kind as string);
}
