/**
 * Running the external programs of the local provisioner (ip, iptables, tc)
 * through execa, always with an argument array, never a shell string.
 */
import { execa } from 'execa';

/** An external command that exited non-zero; the message carries its argv and stderr. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(`command failed (exit ${exitCode ?? 'none'}): ${argv.join(' ')}${stderr ? `\n${stderr.trim()}` : ''}`);
  }
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  /** Text written to the command's stdin (e.g. an iptables-restore batch). */
  input?: string;
  /** Return the result instead of throwing when the command exits non-zero. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

/** Run `file args...`; throws CommandError on a non-zero exit unless allowFailure. */
export async function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const result = await execa(file, [...args], {
    reject: false,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    ...(opts.input === undefined ? {} : { input: opts.input }),
    timeout: opts.timeoutMs ?? 15_000,
    stripFinalNewline: true,
  });
  const exitCode = result.exitCode ?? -1;
  const out: CommandResult = { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode };
  if (exitCode !== 0 && !opts.allowFailure) {
    const why = result.timedOut ? `timed out after ${opts.timeoutMs ?? 15_000} ms` : out.stderr || (result.shortMessage ?? '');
    throw new CommandError([file, ...args], result.exitCode, why);
  }
  return out;
}

/** Run a command inside a network namespace (`ip netns exec NS ...`). */
export function runIn(ns: string, argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return run('ip', ['netns', 'exec', ns, ...argv], opts);
}
