/** Removing a run's containers and network from the engine, found by their labels. */
import type Docker from 'dockerode';
import { labelFilter } from './labels.js';

export interface Removed {
  containers: string[];
  networks: string[];
  errors: string[];
}

const gone = (e: unknown) => /no such|404|not found/i.test(e instanceof Error ? e.message : String(e));

/** Remove every container (killing what runs in it) and network of the run. Never throws; failures land in `errors`. */
export async function removeRun(docker: Docker, runId: string): Promise<Removed> {
  const out: Removed = { containers: [], networks: [], errors: [] };
  const filters = labelFilter(runId);
  try {
    const containers = await docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map(async (c) => {
        const name = c.Names?.[0]?.replace(/^\//, '') ?? c.Id;
        try {
          await docker.getContainer(c.Id).remove({ force: true });
          out.containers.push(name);
        } catch (e) {
          if (!gone(e)) out.errors.push(`remove container ${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    for (const n of await docker.listNetworks({ filters })) {
      try {
        await docker.getNetwork(n.Id).remove();
        out.networks.push(n.Name);
      } catch (e) {
        if (!gone(e)) out.errors.push(`remove network ${n.Name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } catch (e) {
    out.errors.push(`list the run's containers and networks: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}
