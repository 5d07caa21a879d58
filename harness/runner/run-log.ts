/**
 * The run's own log (`harness.log` in the run folder): what the console
 * said, and what a reviewer needs that the console keeps short (the stack
 * of every harness error). Appended synchronously, so it survives a crash.
 */
import { appendFileSync } from 'node:fs';

export class RunLog {
  constructor(private readonly path: string) {}

  write(line: string): void {
    appendFileSync(this.path, `${new Date().toISOString()} ${line}\n`);
  }

  /** An error with its stack. */
  error(what: string, e: unknown): void {
    this.write(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
