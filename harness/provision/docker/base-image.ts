/**
 * The base of the node image: the public Node.js image when the engine has
 * it or can pull it; where no registry can be reached (air-gapped machines
 * and CIs), a Debian root made here with debootstrap, this Node.js binary
 * copied in, and `docker import`ed, once per engine.
 */
import { execa } from 'execa';
import { copyFile, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../../errors.js';
import { commandExists } from '../../programs.js';
import { imageExists, type Engine } from './engine.js';
import { formatOwner, LABEL, LABEL_IMAGE, thisOwner } from './labels.js';

/** The public base, as the Dockerfile's default names it. */
export const PUBLIC_BASE = 'node:20-bookworm-slim';
export const DEBIAN_SUITE = 'bookworm';
/** Where debootstrap fetches Debian from (HARNESS_DEBIAN_MIRROR overrides it). */
export const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** Prefix of debootstrap's work folders under the temporary folder; `harness clean` removes those of dead controllers. */
export const DEBOOTSTRAP_PREFIX = 'harness-debootstrap-';

/** How long a pull may go without progress before it counts as failed. */
const PULL_STALL_MS = 60_000;

/** The locally made base for this Node.js version and architecture. */
export function localBaseName(nodeVersion = process.version, arch = process.arch): string {
  return `harness-base:${DEBIAN_SUITE}-node${nodeVersion.replace(/^v/, '')}-${arch}`;
}

/** Docker's name for a Node.js architecture. */
export function engineArchOf(nodeArch: string): string {
  return ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export interface Base {
  name: string;
  id: string;
}

async function idOf(engine: Engine, name: string): Promise<string> {
  return (await engine.docker.getImage(name).inspect()).Id;
}

export async function ensureBase(engine: Engine, log: (line: string) => void): Promise<Base> {
  const local = localBaseName();
  if (await imageExists(engine.docker, PUBLIC_BASE)) return { name: PUBLIC_BASE, id: await idOf(engine, PUBLIC_BASE) };
  if (await imageExists(engine.docker, local)) return { name: local, id: await idOf(engine, local) };
  const why = await pull(engine, PUBLIC_BASE);
  if (why === undefined) return { name: PUBLIC_BASE, id: await idOf(engine, PUBLIC_BASE) };
  log(`docker: cannot pull ${PUBLIC_BASE} (${why}); making the base image ${local} here instead, with debootstrap and docker import (about 30 s, once per engine)`);
  await makeLocalBase(engine, local);
  return { name: local, id: await idOf(engine, local) };
}

/** Pull an image; undefined when it arrived, else why not. */
async function pull(engine: Engine, name: string): Promise<string | undefined> {
  try {
    const stream = await engine.docker.pull(name);
    return await new Promise<string | undefined>((resolve) => {
      let timer = setTimeout(() => stalled(), PULL_STALL_MS);
      const stalled = () => {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        resolve(`no progress for ${PULL_STALL_MS / 1000} s`);
      };
      engine.docker.modem.followProgress(
        stream,
        (err: Error | null) => {
          clearTimeout(timer);
          resolve(err ? err.message : undefined);
        },
        () => {
          clearTimeout(timer);
          timer = setTimeout(() => stalled(), PULL_STALL_MS);
        },
      );
    });
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').split('\n')[0]!.trim();
  }
}

async function makeLocalBase(engine: Engine, name: string): Promise<void> {
  if (engine.arch !== engineArchOf(process.arch)) {
    throw new SetupError(
      `docker: cannot make a base image for the engine's ${engine.arch} from this ${process.arch} machine; make ${PUBLIC_BASE} available to the engine (docker pull, or docker load from a machine that has it)`,
    );
  }
  if (!commandExists('debootstrap')) {
    throw new SetupError(`docker: making the base image needs debootstrap (apt-get install -y debootstrap), or make ${PUBLIC_BASE} available to the engine`);
  }
  if (process.getuid?.() !== 0) throw new SetupError(`docker: making the base image with debootstrap needs root; run once as root, or make ${PUBLIC_BASE} available to the engine`);
  const dir = await mkdtemp(join(tmpdir(), DEBOOTSTRAP_PREFIX));
  try {
    // Beside the folder, its controller: `harness clean` leaves the folder of a live controller alone.
    await writeFile(`${dir}.pid`, `${formatOwner(thisOwner())}\n`);
    const root = join(dir, 'root');
    const mirror = process.env['HARNESS_DEBIAN_MIRROR'] || DEFAULT_MIRROR;
    const r = await execa('debootstrap', ['--variant=minbase', DEBIAN_SUITE, root, mirror], { reject: false, all: true, timeout: 15 * 60_000 });
    if (r.exitCode !== 0) {
      const tail = String(r.all ?? '').trim().split('\n').slice(-3).join(' | ');
      throw new SetupError(`docker: debootstrap of Debian ${DEBIAN_SUITE} from ${mirror} failed (set HARNESS_DEBIAN_MIRROR to a reachable mirror): ${tail}`);
    }
    await mkdir(join(root, 'usr/local/bin'), { recursive: true });
    await copyFile(process.execPath, join(root, 'usr/local/bin/node'));
    await chmod(join(root, 'usr/local/bin/node'), 0o755);
    await importRoot(engine, root, name);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.pid`, { force: true });
  }
}

/** `tar -C root -c . | docker import` with our labels. */
async function importRoot(engine: Engine, root: string, name: string): Promise<void> {
  const [repo, tag] = name.split(':') as [string, string];
  const tar = execa('tar', ['-C', root, '--numeric-owner', '-c', '.'], { buffer: false, stderr: 'pipe' });
  const stream = await engine.docker.importImage(tar.stdout! as unknown as NodeJS.ReadableStream, {
    repo,
    tag,
    changes: [`LABEL ${LABEL}=1 ${LABEL_IMAGE}=base`, 'CMD ["bash"]', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
  } as object);
  const error = await new Promise<string | undefined>((resolve) => {
    engine.docker.modem.followProgress(stream, (err: Error | null) => resolve(err?.message), (e: { error?: string }) => {
      if (e.error) resolve(e.error);
    });
  });
  await tar;
  if (error !== undefined) throw new SetupError(`docker: docker import of the Debian root failed: ${error}`);
}
