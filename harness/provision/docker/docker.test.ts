/**
 * The docker provisioner on a real engine (skipped when none answers):
 * the same conformance as the local provisioner, and what is its own (the
 * containers' shape, the image cache, an engine that is not there).
 */
import { describe, expect, it } from 'vitest';
import { SetupError } from '../../errors.js';
import { provisionerConformance } from '../conformance.js';
import { connectEngine, type Engine } from './engine.js';
import { labelFilter } from './labels.js';
import { DockerProvisioner } from './provisioner.js';
import { hostLeftovers } from './testing.js';

const engine: Engine | undefined = await connectEngine().catch(() => undefined);
const why = engine ? '' : ' (skipped: no Docker engine answers)';

async function leftovers(runId: string): Promise<string[]> {
  const e = engine!;
  const filters = labelFilter(runId);
  const containers = (await e.docker.listContainers({ all: true, filters })).map((c) => `container ${c.Names?.[0]}`);
  const networks = (await e.docker.listNetworks({ filters })).map((n) => `network ${n.Name}`);
  return [...containers, ...networks, ...hostLeftovers(runId)];
}

describe.skipIf(!engine)(`docker provisioner${why}`, () => {
  provisionerConformance({ make: () => new DockerProvisioner(async () => engine!), leftovers, logsBeforeTeardown: false }, 120_000);

  it('runs containers with NET_ADMIN only, never privileged, labelled with their run', async () => {
    const p = new DockerProvisioner(async () => engine!);
    const runId = `shape-${process.pid}-${Date.now()}`;
    try {
      await p.setup({ runId, nodes: ['n1'], runDir: `/tmp/hx-shape-${process.pid}` });
      const [c] = await engine!.docker.listContainers({ filters: labelFilter(runId) });
      const info = await engine!.docker.getContainer(c!.Id).inspect();
      expect(info.HostConfig.Privileged).toBe(false);
      expect(info.HostConfig.CapAdd).toEqual(['NET_ADMIN']);
      expect(info.Config.Labels).toMatchObject({ 'io.harness.run': runId, 'io.harness.node': 'n1' });
    } finally {
      await p.teardown();
    }
    expect(await leftovers(runId)).toEqual([]);
  }, 120_000);

  it('says how to start an engine when none answers', async () => {
    const e = await connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SetupError);
    expect((e as Error).message).toMatch(/no Docker engine answers at unix:\/\/\/nonexistent\/docker.sock .*dockerd.*DOCKER_HOST/);
  });
});
