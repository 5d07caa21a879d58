/**
 * `harness clean` on the Docker engine: the containers and networks of runs
 * whose controller is gone (their node logs copied into the run's folder
 * first, when it is on this machine), leftovers of image builds (dangling
 * images and stopped containers of ours), and debootstrap folders of dead
 * controllers. A run whose controller still runs, or runs on another
 * machine, is left alone unless `includeLive`.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerIsAlive } from '../owner.js';
import { DEBOOTSTRAP_PREFIX } from './base-image.js';
import { connectEngine, engineOptions } from './engine.js';
import { LABEL, LABEL_NODE, LABEL_OWNER, LABEL_RUN, LABEL_RUN_DIR, labelFilter, parseOwner } from './labels.js';
import { copyNodeDir } from './logs.js';
import { removeRun } from './remove.js';

export interface DockerCleanSummary {
  /** Where the engine is; undefined when there is none to clean. */
  engine?: string;
  runs: string[];
  containers: string[];
  networks: string[];
  images: number;
  folders: string[];
  /** Runs left alone, with why. */
  skipped: string[];
  errors: string[];
}

/** Whether a run's owner (the label) is a live controller, or one this machine cannot judge (another host's). */
export function ownerVerdict(label: string | undefined, here = hostname()): 'dead' | 'alive' | 'elsewhere' {
  const o = parseOwner(label);
  if (!o) return 'dead';
  if (o.host !== here) return 'elsewhere';
  return o.pid !== process.pid && ownerIsAlive({ pid: o.pid, pidStart: o.pidStart }) ? 'alive' : 'dead';
}

export async function cleanDocker(opts: { includeLive?: boolean } = {}): Promise<DockerCleanSummary> {
  const out: DockerCleanSummary = { runs: [], containers: [], networks: [], images: 0, folders: [], skipped: [], errors: [] };
  out.folders = await cleanDebootstrapFolders(out.errors);
  const { where, remote } = engineOptions();
  // No engine was ever here: nothing of ours can be in one.
  if (!remote && !existsSync(where.slice('unix://'.length))) return out;
  let engine;
  try {
    engine = await connectEngine();
  } catch (e) {
    out.errors.push(e instanceof Error ? e.message : String(e));
    return out;
  }
  out.engine = engine.where;
  const { docker } = engine;
  // Every run with a container or a network of ours, with its owner and folder.
  const runs = new Map<string, { owner?: string; runDir?: string; nodes: Map<string, string> }>();
  const entry = (labels: Record<string, string> | undefined) => {
    const id = labels?.[LABEL_RUN];
    if (id === undefined) return undefined;
    const r = runs.get(id) ?? { nodes: new Map<string, string>() };
    r.owner ??= labels![LABEL_OWNER];
    r.runDir ??= labels![LABEL_RUN_DIR];
    runs.set(id, r);
    return r;
  };
  const containers = await docker.listContainers({ all: true, filters: labelFilter() });
  for (const c of containers) {
    const r = entry(c.Labels);
    if (r && c.Labels[LABEL_NODE]) r.nodes.set(c.Labels[LABEL_NODE]!, c.Id);
  }
  for (const n of await docker.listNetworks({ filters: labelFilter() })) entry(n.Labels);

  for (const [runId, r] of runs) {
    const verdict = ownerVerdict(r.owner);
    if (verdict !== 'dead' && !opts.includeLive) {
      out.skipped.push(`${runId} (${verdict === 'alive' ? 'controller still running' : `controller on ${parseOwner(r.owner)?.host}; use --all`})`);
      continue;
    }
    if (r.runDir && existsSync(r.runDir)) {
      for (const [node, id] of r.nodes) {
        await copyNodeDir(docker, id, join(r.runDir, 'nodes', node)).catch(() => undefined);
      }
    }
    const removed = await removeRun(docker, runId);
    out.runs.push(runId);
    out.containers.push(...removed.containers);
    out.networks.push(...removed.networks);
    out.errors.push(...removed.errors);
  }
  // Build leftovers: stopped containers of ours outside any run, and dangling images.
  for (const c of containers) {
    if (c.Labels[LABEL_RUN] !== undefined || c.State === 'running') continue;
    await docker.getContainer(c.Id).remove({ force: true }).then(
      () => out.containers.push(c.Names?.[0]?.replace(/^\//, '') ?? c.Id),
      (e: Error) => out.errors.push(`remove container ${c.Id}: ${e.message}`),
    );
  }
  try {
    const pruned = await docker.pruneImages({ filters: { dangling: ['true'], label: [`${LABEL}=1`] } });
    out.images = pruned.ImagesDeleted?.length ?? 0;
  } catch (e) {
    out.errors.push(`prune dangling images: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

/** Remove debootstrap folders whose controller (named in `<folder>.pid`) is gone. */
async function cleanDebootstrapFolders(errors: string[]): Promise<string[]> {
  const removed: string[] = [];
  const dir = tmpdir();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(DEBOOTSTRAP_PREFIX) || name.endsWith('.pid')) continue;
    const path = join(dir, name);
    const owner = await readFile(`${path}.pid`, 'utf8').catch(() => '');
    if (ownerVerdict(owner.trim()) === 'alive') continue;
    try {
      await rm(path, { recursive: true, force: true });
      await rm(`${path}.pid`, { force: true });
      removed.push(path);
    } catch (e) {
      errors.push(`remove ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return removed;
}
