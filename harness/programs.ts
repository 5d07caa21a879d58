/** Whether the machine has the programs a run needs, and one clear line saying what to install when not. */
import { accessSync, constants } from 'node:fs';
import { SetupError } from './errors.js';

export function commandExists(cmd: string): boolean {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => {
    try {
      accessSync(`${d}/${cmd}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Throw a SetupError naming every missing program and how to install it. */
export function requirePrograms(what: string, programs: readonly { program: string; install: string }[]): void {
  const missing = programs.filter((p) => !commandExists(p.program));
  if (missing.length === 0) return;
  throw new SetupError(`${what} needs ${missing.map((p) => p.program).join(' and ')}, not found on the PATH: ${[...new Set(missing.map((p) => p.install))].join('; ')}`);
}
