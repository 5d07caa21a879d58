import { describe, expect, it } from 'vitest';
import { makeSubnet } from '../subnet.js';
import { engineArchOf, localBaseName } from './base-image.js';
import { containerOptions, writeFileScript } from './container.js';
import { ownerVerdict } from './clean.js';
import { engineOptions } from './engine.js';
import { contextFiles, imageHash, imagePackages, imageTag } from './image.js';
import { dockerNames, formatOwner, labelFilter, parseOwner, runLabels, thisOwner } from './labels.js';
import { networkOptions } from './network.js';

describe('docker names and labels', () => {
  it('name a run by its tag, with a bridge name that fits 15 characters', () => {
    const n = dockerNames('20260101T120000-abcdef');
    expect(n.network).toBe(`hx-${n.tag}`);
    expect(n.container('n3')).toBe(`hx-${n.tag}-n3`);
    expect(n.bridge.length).toBeLessThanOrEqual(15);
  });

  it('label every object with its run, folder and owner, and find them by label', () => {
    const owner = { host: 'ci-1', pid: 42, pidStart: '12345' };
    const labels = runLabels('r1', '/store/raft-kv/r1', owner, 'n1');
    expect(labels).toMatchObject({ 'io.harness': '1', 'io.harness.run': 'r1', 'io.harness.node': 'n1', 'io.harness.run-dir': '/store/raft-kv/r1' });
    expect(parseOwner(labels['io.harness.owner'])).toEqual(owner);
    expect(labelFilter('r1')).toEqual({ label: ['io.harness=1', 'io.harness.run=r1'] });
  });

  it('tell a live controller, a dead one and one on another machine apart', () => {
    expect(ownerVerdict(formatOwner({ ...thisOwner(), pid: 2 ** 22 + 7 }))).toBe('dead');
    expect(ownerVerdict(formatOwner({ host: 'elsewhere.example', pid: 1, pidStart: '1' }))).toBe('elsewhere');
    expect(ownerVerdict(undefined)).toBe('dead');
  });
});

describe('docker engine options', () => {
  it('use the local socket by default and DOCKER_HOST when set', () => {
    expect(engineOptions({})).toMatchObject({ options: { socketPath: '/var/run/docker.sock' }, remote: false });
    expect(engineOptions({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).options).toEqual({ socketPath: '/run/user/1000/docker.sock' });
    expect(engineOptions({ DOCKER_HOST: 'ssh://me@build-host' })).toMatchObject({ where: 'ssh://me@build-host', remote: true });
    expect(engineOptions({ DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }).remote).toBe(true);
  });
});

describe('docker containers and network', () => {
  const names = dockerNames('run-1');
  it('a node container has NET_ADMIN only, is never privileged, and has a fixed address', () => {
    const c = containerOptions({ names, node: 'n2', ip: '10.200.1.12', image: 'harness-node:x', labels: { a: 'b' } });
    expect(c.HostConfig).toMatchObject({ CapAdd: ['NET_ADMIN'], Privileged: false, Init: true, NetworkMode: names.network });
    expect(c.HostConfig).not.toHaveProperty('CapDrop');
    expect(c.NetworkingConfig?.EndpointsConfig?.[names.network]?.IPAMConfig?.IPv4Address).toBe('10.200.1.12');
    expect(c.Labels).toEqual({ a: 'b' });
  });

  it('the network is a bridge with a fixed subnet, our bridge name, no NAT, and the run labels', () => {
    const o = networkOptions(names, makeSubnet('10.201.3'), { 'io.harness': '1' });
    expect(o.IPAM?.Config).toEqual([{ Subnet: '10.201.3.0/24', Gateway: '10.201.3.1' }]);
    expect(o.Options).toMatchObject({ 'com.docker.network.bridge.name': names.bridge, 'com.docker.network.bridge.enable_ip_masquerade': 'false' });
    expect(o.Labels).toEqual({ 'io.harness': '1' });
  });

  it('files are written whole through a rename, and config files only once', () => {
    expect(writeFileScript(true)).toContain('mv "$1.tmp" "$1"');
    expect(writeFileScript(false)).toMatch(/^if \[ -e "\$1" \]/);
  });
});

describe('the node image', () => {
  const files = [
    { path: 'dist/a.js', sha256: '1' },
    { path: 'package.json', sha256: '2' },
  ];
  it('is tagged by a hash of what goes in, whatever the order, and changes with any of it', () => {
    const h = imageHash({ baseId: 'sha256:b', packages: ['redis-server'], files });
    expect(imageHash({ baseId: 'sha256:b', packages: ['redis-server'], files: [...files].reverse() })).toBe(h);
    expect(imageHash({ baseId: 'sha256:c', packages: ['redis-server'], files })).not.toBe(h);
    expect(imageHash({ baseId: 'sha256:b', packages: [], files })).not.toBe(h);
    expect(imageHash({ baseId: 'sha256:b', packages: ['redis-server'], files: [files[0]!, { path: 'package.json', sha256: '3' }] })).not.toBe(h);
    expect(imageTag(h)).toMatch(/^harness-node:[0-9a-f]{16}$/);
  });

  it('installs the packages the targets name, once each', () => {
    expect(imagePackages([
      { target: 'redis-sentinel', program: 'redis-server', package: 'redis-server' },
      { target: 'redis-sentinel', program: 'redis-sentinel', package: 'redis-sentinel' },
      { target: 'other', program: 'redis-server', package: 'redis-server' },
      { target: 'x', program: 'y' },
    ])).toEqual(['redis-sentinel', 'redis-server']);
  });

  it('copies the Dockerfile, the shaper and clock shim sources, package.json and compiled code, not source maps or host binaries', () => {
    const ctx = contextFiles();
    expect(ctx.slice(0, 4)).toEqual(['harness/provision/docker/Dockerfile', 'harness/provision/shaper/nfq-shaper.c', 'harness/provision/clock-shim/clock-shim.c', 'package.json']);
    expect(ctx).toContain('dist/targets/raft-kv/node.js');
    expect(ctx.some((f) => f.endsWith('.map') || f.startsWith('dist/bin/'))).toBe(false);
  });

  it('names the local base by Node.js version and architecture', () => {
    expect(localBaseName('v20.20.2', 'x64')).toBe('harness-base:bookworm-node20.20.2-x64');
    expect(engineArchOf('x64')).toBe('x86_64');
    expect(engineArchOf('arm64')).toBe('aarch64');
  });
});

describe('what the image holds is enough for every node', () => {
  it('node entry points of the targets import only Node.js built-ins and the project’s own compiled modules (the image has no node_modules)', async () => {
    const { readFileSync, existsSync, readdirSync } = await import('node:fs');
    const { dirname, join, resolve } = await import('node:path');
    const { PROJECT_ROOT } = await import('../../project.js');
    const outside: string[] = [];
    const seen = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
        else if (!spec.startsWith('node:')) outside.push(`${file}: ${spec}`);
      }
    };
    const targets = join(PROJECT_ROOT, 'dist', 'targets');
    for (const t of readdirSync(targets)) if (existsSync(join(targets, t, 'node.js'))) walk(join(targets, t, 'node.js'));
    expect(seen.size).toBeGreaterThan(1);
    expect(outside).toEqual([]);
  });
});
