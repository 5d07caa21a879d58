/**
 * Errors a user can act on. The CLI prints their message (no stack trace)
 * and exits with status 2.
 */

import { HistoryError } from './history/op.js';

/** Bad command-line usage: unknown option value, unknown target or model. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The machine cannot run the test: not root, a missing program, a port in use. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** A history file that cannot be read as the format it claims to be. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly expected: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${expected}`);
  }
}

/** The harness itself failed (a bug): exit 2 with one line; the stack is in the log named. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
  constructor(
    message: string,
    /** Where the stack was written. */
    readonly logPath?: string,
  ) {
    super(message);
  }
}

/** True for the errors that mean "exit 2 with this message". */
export function isUserError(e: unknown): e is UsageError | SetupError | InputError | HistoryError {
  return e instanceof UsageError || e instanceof SetupError || e instanceof InputError || e instanceof HistoryError;
}
