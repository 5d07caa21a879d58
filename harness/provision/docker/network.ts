/**
 * A run's network: a user-defined bridge with a fixed /24 that collides
 * with no route of the controller's and no other network of the engine's,
 * the controller's side at `.1` and node i at `.11+i` (as the local
 * provisioner), so that addresses, and the rules naming them, stay valid
 * across restarts.
 */
import type Docker from 'dockerode';
import { chooseSubnet, takenPrefixes, type Subnet } from '../subnet.js';
import type { Engine } from './engine.js';
import type { DockerNames } from './labels.js';

/** Options of the network's create call: pure, for the tests. */
export function networkOptions(names: DockerNames, subnet: Subnet, labels: Record<string, string>): Docker.NetworkCreateOptions {
  return {
    Name: names.network,
    Driver: 'bridge',
    CheckDuplicate: true,
    IPAM: { Driver: 'default', Config: [{ Subnet: subnet.cidr, Gateway: subnet.gateway }] },
    Options: {
      // A host-side interface name we can recognise (`ip link`), and no NAT: nodes talk to each other and the controller only.
      'com.docker.network.bridge.name': names.bridge,
      'com.docker.network.bridge.enable_ip_masquerade': 'false',
    },
    Labels: labels,
  };
}

/** Subnets of the engine's networks, and the controller's own routes when the engine runs here. */
async function taken(engine: Engine): Promise<string[]> {
  const nets = await engine.docker.listNetworks();
  const out = nets.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean));
  return engine.remote ? out : [...out, ...(await takenPrefixes())];
}

/** Create the run's network; a subnet another network took meanwhile is skipped. */
export async function createNetwork(engine: Engine, names: DockerNames, labels: Record<string, string>): Promise<Subnet> {
  const avoid = await taken(engine);
  for (let attempt = 0; ; attempt++) {
    const subnet = chooseSubnet(avoid, parseInt(names.tag, 16));
    try {
      await engine.docker.createNetwork(networkOptions(names, subnet, labels));
      return subnet;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (attempt >= 5 || !/overlap/i.test(message)) throw new Error(`docker: could not create network ${names.network} on ${subnet.cidr}: ${message}`);
      avoid.push(subnet.cidr);
    }
  }
}
