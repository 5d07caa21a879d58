/**
 * `harness clean`: the local provisioner's leftovers (when root: they need
 * root to exist at all), then the Docker engine's (when one is there).
 * Exit 0 when everything went, 2 when something could not be removed.
 */
import { cleanAll } from '../provision/clean.js';
import { cleanDocker } from '../provision/docker/clean.js';
import { EXIT } from './check.js';

export async function cleanCommand(opts: { includeLive: boolean }): Promise<number> {
  let errors = 0;
  const say = (l: string) => process.stdout.write(`${l}\n`);
  const err = (l: string) => process.stderr.write(`${l}\n`);
  if (process.getuid?.() === 0) {
    const s = await cleanAll(opts);
    say(`cleaned ${s.runs.length} run(s): ${s.processes.length} processes, ${s.namespaces.length} namespaces, ${s.links.length} links, ${s.rules.length} iptables rules`);
    for (const r of s.skippedLive) say(`  left alone (controller still running): ${r}`);
    for (const e of s.errors) err(`  error: ${e}`);
    errors += s.errors.length;
  }
  const d = await cleanDocker(opts);
  if (d.engine !== undefined || d.folders.length || d.errors.length) {
    say(
      `docker${d.engine ? ` (${d.engine})` : ''}: cleaned ${d.runs.length} run(s): ${d.containers.length} containers, ${d.networks.length} networks, ${d.images} dangling images, ${d.folders.length} debootstrap folders`,
    );
    for (const r of d.skipped) say(`  left alone: ${r}`);
    for (const e of d.errors) err(`  error: ${e}`);
    errors += d.errors.length;
  }
  return errors ? EXIT.error : 0;
}
