/** What a node container is: the pure builders of its create options and of the scripts run in it. */
import type Docker from 'dockerode';
import { IMAGE_ROOT } from './image.js';
import type { DockerNames } from './labels.js';
import { NODE_DIR } from './logs.js';

/** The clock shim inside the image (the Dockerfile builds it there). */
export const CLOCK_SHIM = '/usr/local/lib/clock-shim.so';
/** The node's timestamp file, which the clock shim reads; rewritten to change its clock. */
export const CLOCK_FILE = `${NODE_DIR}/clock.rc`;

export interface ContainerSpec {
  names: DockerNames;
  node: string;
  ip: string;
  image: string;
  labels: Record<string, string>;
}

/**
 * A node's container: an init (which reaps what the node's processes leave)
 * and `sleep infinity` as its only own process, NET_ADMIN for iptables and
 * tc inside it and nothing more (never privileged: no clock of the host's
 * can be changed from it), a fixed address on the run's network.
 */
export function containerOptions(c: ContainerSpec): Docker.ContainerCreateOptions {
  return {
    name: c.names.container(c.node),
    Hostname: c.node,
    Image: c.image,
    Cmd: ['sleep', 'infinity'],
    WorkingDir: IMAGE_ROOT,
    Labels: c.labels,
    HostConfig: {
      Init: true,
      CapAdd: ['NET_ADMIN'],
      Privileged: false,
      NetworkMode: c.names.network,
    },
    NetworkingConfig: { EndpointsConfig: { [c.names.network]: { IPAMConfig: { IPv4Address: c.ip } } } },
  };
}

/**
 * A shell script writing its stdin to the file "$1" (its folder created):
 * atomically through a rename, so a reader never sees half of it; with
 * `overwrite` false, only when the file does not exist yet.
 */
export function writeFileScript(overwrite: boolean): string {
  const write = 'mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv "$1.tmp" "$1"';
  return overwrite ? write : `if [ -e "$1" ]; then cat > /dev/null; else ${write}; fi`;
}
