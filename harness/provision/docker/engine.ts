/**
 * The Docker engine the provisioner talks to: the local socket, or
 * DOCKER_HOST (tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, or
 * ssh://), read by dockerode exactly as the docker command reads them.
 */
import Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';

export interface Engine {
  docker: Docker;
  /** Where it is, for messages: DOCKER_HOST or the socket. */
  where: string;
  /** Whether it runs on another machine (tcp:// or ssh://). */
  remote: boolean;
  /** The engine's CPU architecture (x86_64, aarch64). */
  arch: string;
}

const PING_TIMEOUT_MS = 5000;

/** How to reach an engine, as the docker command would. */
export function engineOptions(env: NodeJS.ProcessEnv = process.env): { options: Docker.DockerOptions; where: string; remote: boolean } {
  const host = env['DOCKER_HOST'];
  if (!host || host.startsWith('unix://')) {
    const socketPath = host?.slice('unix://'.length) || '/var/run/docker.sock';
    return { options: { socketPath }, where: `unix://${socketPath}`, remote: false };
  }
  // dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself; the docker command's default certificate folder it does not.
  const options: Docker.DockerOptions = {};
  const certs = join(homedir(), '.docker');
  if (env['DOCKER_TLS_VERIFY'] === '1' && !env['DOCKER_CERT_PATH'] && existsSync(join(certs, 'ca.pem'))) {
    Object.assign(options, { ca: [readPem(certs, 'ca.pem')], cert: readPem(certs, 'cert.pem'), key: readPem(certs, 'key.pem') });
  }
  return { options, where: host, remote: true };
}

function readPem(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** A connected engine; a SetupError saying how to get one when none answers. */
export async function connectEngine(env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  const { options, where, remote } = engineOptions(env);
  let docker: Docker;
  try {
    docker = new Docker(options);
  } catch (e) {
    throw new SetupError(`no Docker engine at ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const info = (await withTimeout(docker.info(), PING_TIMEOUT_MS, `no answer within ${PING_TIMEOUT_MS / 1000} s`)) as { Architecture?: string };
    return { docker, where, remote, arch: info.Architecture ?? 'unknown' };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new SetupError(
      `no Docker engine answers at ${where} (${why}); start one (e.g. \`dockerd &\` as root, or \`systemctl start docker\`), or point DOCKER_HOST at a remote engine (tcp://HOST:2376 with DOCKER_TLS_VERIFY=1, or ssh://USER@HOST)`,
    );
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, why: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(why)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}
