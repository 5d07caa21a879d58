/**
 * The node image: built from the Dockerfile beside this file, over the
 * project's compiled code, once per content. Its tag is a hash of
 * everything that goes in (the Dockerfile, the base image, the packages,
 * each file copied), so an unchanged project never rebuilds, and any change
 * does.
 */
import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { SetupError } from '../../errors.js';
import { PROJECT_ROOT } from '../../project.js';
import { TARGETS } from '../../targets.js';
import { ensureBase } from './base-image.js';
import { imageExists, type Engine } from './engine.js';
import { LABEL, LABEL_HASH, LABEL_IMAGE } from './labels.js';

export const IMAGE_REPO = 'harness-node';
export const DOCKERFILE = 'harness/provision/docker/Dockerfile';
const SHAPER_SOURCE = 'harness/provision/shaper/nfq-shaper.c';
const CLOCK_SHIM_SOURCE = 'harness/provision/clock-shim/clock-shim.c';
/** Where the project is inside the image (the working directory of every node process). */
export const IMAGE_ROOT = '/opt/harness';

/** What a target needs installed, as its `requires` says. */
export interface Requirement {
  target: string;
  program: string;
  package?: string;
}

/** Every program the targets require, with the Debian package that installs it when they name one. */
export function targetRequirements(targets = Object.values(TARGETS)): Requirement[] {
  return targets.flatMap((t) => (t.requires ?? []).map((r) => ({ target: t.name, program: r.program, ...(r.package ? { package: r.package } : {}) })));
}

/** The Debian packages the image installs for the targets: one list, sorted, without repeats. */
export function imagePackages(reqs: readonly Requirement[]): string[] {
  return [...new Set(reqs.flatMap((r) => (r.package ? [r.package] : [])))].sort();
}

/** Files of the build context, relative to the project root: the Dockerfile, the shaper's and the clock shim's sources, package.json and dist/ (less maps and the host's binaries). */
export function contextFiles(root = PROJECT_ROOT): string[] {
  const dist: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (path !== join(root, 'dist', 'bin')) walk(path);
      } else if (!e.name.endsWith('.map')) {
        dist.push(relative(root, path).split(sep).join('/'));
      }
    }
  };
  walk(join(root, 'dist'));
  return [DOCKERFILE, SHAPER_SOURCE, CLOCK_SHIM_SOURCE, 'package.json', ...dist.sort()];
}

export interface HashInput {
  /** The base image's id (a new base means a new image). */
  baseId: string;
  packages: readonly string[];
  /** Each context file and its content hash. */
  files: readonly { path: string; sha256: string }[];
}

/** The content hash of an image: pure, order-independent in its files. */
export function imageHash(input: HashInput): string {
  const h = createHash('sha256');
  h.update(`harness-node image v1\nbase ${input.baseId}\npackages ${[...input.packages].sort().join(' ')}\n`);
  for (const f of [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\0${f.sha256}\n`);
  return h.digest('hex');
}

export function imageTag(hash: string): string {
  return `${IMAGE_REPO}:${hash.slice(0, 16)}`;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * The tag of an image for this project's code, built when the engine has
 * none yet; says on `log` what it does. A failed build is a SetupError with
 * the step and the error.
 */
export async function ensureImage(engine: Engine, log: (line: string) => void, opts: { rebuild?: boolean } = {}): Promise<string> {
  const { docker } = engine;
  const reqs = targetRequirements();
  const packages = imagePackages(reqs);
  const files = contextFiles();
  const base = await ensureBase(engine, log);
  const hash = imageHash({ baseId: base.id, packages, files: files.map((path) => ({ path, sha256: sha256File(join(PROJECT_ROOT, path)) })) });
  const tag = imageTag(hash);
  if (!opts.rebuild && (await imageExists(docker, tag))) {
    log(`docker: image ${tag} is up to date (not rebuilt)`);
    return tag;
  }
  const started = Date.now();
  log(`docker: building image ${tag} from ${base.name} (${files.length} files; packages: ${packages.join(' ') || 'none beyond the base'})`);
  await build(docker, files, { tag, hash, base: base.name, packages });
  log(`docker: built image ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await checkPrograms(docker, tag, reqs);
  await removeOlderImages(docker, tag);
  return tag;
}

async function build(docker: Docker, files: string[], o: { tag: string; hash: string; base: string; packages: string[] }): Promise<void> {
  const stream = await docker.buildImage(
    { context: PROJECT_ROOT, src: files },
    {
      t: o.tag,
      dockerfile: DOCKERFILE,
      buildargs: { BASE: o.base, PACKAGES: o.packages.join(' ') },
      labels: { [LABEL]: '1', [LABEL_IMAGE]: 'node', [LABEL_HASH]: o.hash },
      rm: true,
      forcerm: true,
    },
  );
  const output: string[] = [];
  const error = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => resolve(err ? err.message : undefined),
      (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.stream) output.push(...event.stream.split('\n').filter((l) => l.trim()));
        if (event.error) resolve(event.errorDetail?.message ?? event.error);
      },
    );
  });
  if (error !== undefined) {
    const step = [...output].reverse().find((l) => /^Step \d+\/\d+ :/.test(l)) ?? '';
    const tail = output.slice(-6).join(' | ');
    throw new SetupError(`docker: the image build failed${step ? ` at ${step}` : ''}: ${error.trim()}${tail ? ` (last output: ${tail})` : ''}`);
  }
}

/** Every program a target requires is in the image, or a SetupError says which target should name its package. */
async function checkPrograms(docker: Docker, tag: string, reqs: readonly Requirement[]): Promise<void> {
  if (reqs.length === 0) return;
  const script = 'for p in "$@"; do command -v "$p" >/dev/null || echo "$p"; done';
  // With a terminal the logs come back as plain text, not in the engine's multiplexed frames.
  const container = await docker.createContainer({ Image: tag, Tty: true, Cmd: ['sh', '-c', script, 'sh', ...reqs.map((r) => r.program)], Labels: { [LABEL]: '1' } });
  try {
    await container.start();
    await container.wait();
    const logs = (await container.logs({ stdout: true, stderr: false })).toString();
    const missing = new Set(logs.split(/\r?\n/).map((l) => l.trim()).filter(Boolean));
    const bad = reqs.filter((r) => missing.has(r.program));
    if (bad.length) {
      throw new SetupError(
        `docker: the image lacks ${bad.map((r) => `${r.program} (target ${r.target}${r.package ? `, package ${r.package}` : ', which names no Debian package for it: add `package` to its requires'})`).join(', ')}`,
      );
    }
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Remove our node images other than `keep` that no container uses (the engine refuses those). */
async function removeOlderImages(docker: Docker, keep: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`${LABEL_IMAGE}=node`] } });
  for (const img of images) {
    if ((img.RepoTags ?? []).includes(keep)) continue;
    await docker.getImage(img.Id).remove().catch(() => undefined);
  }
}
