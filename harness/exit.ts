/**
 * How the command line ends on an error: one line on stderr and exit
 * status 2, for an error the user can act on and for a bug of the harness
 * alike (never 1, which means an anomaly was found). A bug's stack goes to
 * a log: the run's `harness.log`, or a file in the temporary folder.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalError, isUserError } from './errors.js';

export const EXIT_ERROR = 2;

export function describeError(e: unknown, crashLogDir = tmpdir()): { line: string; status: typeof EXIT_ERROR } {
  if (isUserError(e)) return { line: `harness: ${e.message}`, status: EXIT_ERROR };
  const log = e instanceof InternalError && e.logPath ? e.logPath : writeCrashLog(e, crashLogDir);
  return { line: `harness: internal error: ${e instanceof Error ? e.message : String(e)} (stack in ${log})`, status: EXIT_ERROR };
}

/** Keep the stack of an error that happened outside any run; where it went. */
function writeCrashLog(e: unknown, dir: string): string {
  const path = join(dir, `harness-crash-${process.pid}.log`);
  try {
    writeFileSync(path, `${new Date().toISOString()} ${process.argv.join(' ')}\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return path;
  } catch {
    return 'nowhere: the temporary folder is not writable';
  }
}
