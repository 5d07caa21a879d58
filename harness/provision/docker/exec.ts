/**
 * Commands inside a container through the engine's exec API: one that runs
 * to its end (its output and exit status, stdin from a string), and one
 * that keeps running (a node process, the packet shaper), whose end the
 * attached stream tells.
 */
import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { CommandError, type CommandResult, type RunOptions } from '../cmd.js';

interface Started {
  exec: Docker.Exec;
  stdout: PassThrough;
  stderr: PassThrough;
  /** Settles when the process has exited (the attached stream ended). */
  ended: Promise<void>;
}

async function startExec(
  docker: Docker,
  container: string,
  argv: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; workdir?: string; input?: string },
): Promise<Started> {
  const exec = await docker.getContainer(container).exec({
    Cmd: [...argv],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: opts.input !== undefined,
    ...(opts.env ? { Env: Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) } : {}),
    ...(opts.workdir ? { WorkingDir: opts.workdir } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: opts.input !== undefined });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  }).then(() => {
    stdout.end();
    stderr.end();
  });
  if (opts.input !== undefined) {
    stream.write(opts.input);
    stream.end();
  }
  return { exec, stdout, stderr, ended };
}

function collect(s: PassThrough): () => string {
  let text = '';
  s.on('data', (b: Buffer) => (text += b.toString()));
  return () => text;
}

/** Run `argv` in the container to its end; throws CommandError on a non-zero exit unless allowFailure. */
export async function execIn(docker: Docker, container: string, argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const s = await startExec(docker, container, argv, opts.input === undefined ? {} : { input: opts.input });
  const out = collect(s.stdout);
  const err = collect(s.stderr);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    s.ended.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  const exitCode = timedOut ? -1 : ((await s.exec.inspect()).ExitCode ?? -1);
  const result: CommandResult = { stdout: out().replace(/\n$/, ''), stderr: err().replace(/\n$/, ''), exitCode };
  if (exitCode !== 0 && !opts.allowFailure) {
    throw new CommandError(['docker', 'exec', container, ...argv], exitCode, timedOut ? `timed out after ${timeoutMs} ms` : result.stderr || result.stdout);
  }
  return result;
}

/** A long-running process in a container. */
export interface ContainerProcess {
  /** Its pid inside the container; it leads its own process group (exec makes it a session leader). */
  pid: number;
  stdout: PassThrough;
  stderr: PassThrough;
  /** Settles with the exit status when it has exited. */
  exited: Promise<number | undefined>;
}

/**
 * Start `argv` in the container and learn its pid: a shell prints its own
 * pid, then execs the program in its place (with its output to `logFile`
 * when given, else on the attached stream).
 */
export async function spawnIn(
  docker: Docker,
  container: string,
  argv: readonly string[],
  opts: { env?: Readonly<Record<string, string>>; workdir?: string; logFile?: string } = {},
): Promise<ContainerProcess> {
  const script = opts.logFile === undefined ? 'echo $$; exec "$@"' : 'echo $$; exec "$@" >>"$HX_LOG" 2>&1';
  const env = opts.logFile === undefined ? opts.env : { ...opts.env, HX_LOG: opts.logFile };
  const s = await startExec(docker, container, ['sh', '-c', script, 'sh', ...argv], {
    ...(env ? { env } : {}),
    ...(opts.workdir ? { workdir: opts.workdir } : {}),
  });
  const stdout = new PassThrough();
  const pid = await new Promise<number>((resolve, reject) => {
    let head = '';
    const onData = (b: Buffer) => {
      head += b.toString();
      const nl = head.indexOf('\n');
      if (nl < 0) return;
      s.stdout.off('data', onData);
      resolve(Number(head.slice(0, nl)));
      if (head.length > nl + 1) stdout.write(head.slice(nl + 1));
      s.stdout.pipe(stdout);
    };
    s.stdout.on('data', onData);
    void s.ended.then(() => reject(new Error(`${argv.join(' ')} in ${container} ended before it started`)));
  });
  const exited = s.ended.then(async () => (await s.exec.inspect()).ExitCode ?? undefined);
  return { pid, stdout, stderr: s.stderr, exited };
}

/**
 * Send `signal` to each process group (else the process) in the container;
 * the pids that got it.
 */
export async function signalIn(docker: Docker, container: string, pids: readonly number[], signal: NodeJS.Signals): Promise<number[]> {
  if (pids.length === 0) return [];
  const sig = signal.replace(/^SIG/, '');
  // procps' kill (the image has it): the shell's own cannot signal a process group.
  const script = `for p in "$@"; do { /usr/bin/kill -s ${sig} -- "-$p" || /usr/bin/kill -s ${sig} "$p"; } 2>/dev/null && echo "$p"; done; true`;
  const r = await execIn(docker, container, ['sh', '-c', script, 'sh', ...pids.map(String)]);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}
