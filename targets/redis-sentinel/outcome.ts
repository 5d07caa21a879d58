/**
 * What an error of a Redis command means for the operation, truthfully:
 * - fail (certainly not applied): the server answered with an error before
 *   acting (NOREPLICAS, READONLY, EXECABORT, LOADING, ...), or the command
 *   was never written to a connection (no master reachable, refused
 *   connection, the connection not ready: the offline queue is off);
 * - info (unknown): the command was written and no answer came (a
 *   timeout, the connection closed or reset before the reply); the server
 *   may have applied it.
 * The client only hands a command to ioredis on a ready connection, so an
 * error that is not a reply means it was sent, unless ioredis says it
 * refused to write it.
 */
import type { Outcome } from '../../harness/target.js';

/** ioredis' error for a command it refused to write because the connection is not writable (offline queue off). */
const NOT_WRITTEN = /Stream isn't writeable|enableOfflineQueue/;

/** An error reply of the server (`-ERR ...`): ioredis' ReplyError. */
export function isReplyError(e: unknown): boolean {
  return e instanceof Error && e.name === 'ReplyError';
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The outcome of a command that ended with `e` after the client handed it to a ready connection. */
export function outcomeOfError(e: unknown): Outcome {
  const error = errorText(e);
  if (isReplyError(e)) return { type: 'fail', error };
  if (NOT_WRITTEN.test(error)) return { type: 'fail', error: `not sent: ${error}` };
  return { type: 'info', error: `sent, no reply: ${error}` };
}

/** A server error that says the node is no longer a master: the client should ask Sentinel again. */
export function isDemoted(e: unknown): boolean {
  if (!isReplyError(e)) return false;
  // EXECABORT carries the errors of the queued commands that caused it.
  const previous = (e as { previousErrors?: unknown[] }).previousErrors ?? [];
  return /READONLY/.test(errorText(e)) || previous.some((p) => /READONLY/.test(errorText(p)));
}
