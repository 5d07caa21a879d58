/**
 * The one place a provisioner is chosen by name (`--provisioner`): the
 * runner asks for a kind and gets a Provisioner, whichever it is.
 */
import { requireRoot } from './clean.js';
import { DockerProvisioner } from './docker/provisioner.js';
import { LocalProvisioner } from './local.js';
import type { Provisioner } from './types.js';

export const PROVISIONER_KINDS = ['local', 'docker'] as const;
export type ProvisionerKind = (typeof PROVISIONER_KINDS)[number];

export function isProvisionerKind(s: string): s is ProvisionerKind {
  return (PROVISIONER_KINDS as readonly string[]).includes(s);
}

/**
 * A fresh provisioner of the kind, once the machine is known to be able to
 * run it (a SetupError says what is missing). The docker provisioner finds
 * its engine at setup (a SetupError when none answers).
 */
export function createProvisioner(kind: ProvisionerKind): Provisioner {
  switch (kind) {
    case 'local':
      requireRoot();
      return new LocalProvisioner();
    case 'docker':
      return new DockerProvisioner();
  }
}
