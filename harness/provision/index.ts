/**
 * The one place a provisioner is chosen by name (`--provisioner`): the
 * runner asks for a kind and gets a Provisioner, whichever it is.
 */
import { UsageError } from '../errors.js';
import { requireRoot } from './clean.js';
import { LocalProvisioner } from './local.js';
import type { Provisioner } from './types.js';

export const PROVISIONER_KINDS = ['local', 'docker'] as const;
export type ProvisionerKind = (typeof PROVISIONER_KINDS)[number];

export function isProvisionerKind(s: string): s is ProvisionerKind {
  return (PROVISIONER_KINDS as readonly string[]).includes(s);
}

/**
 * A fresh provisioner of the kind, once the machine is known to be able to
 * run it (a SetupError says what is missing); a UsageError for a kind that
 * cannot be had.
 */
export function createProvisioner(kind: ProvisionerKind): Provisioner {
  switch (kind) {
    case 'local':
      requireRoot();
      return new LocalProvisioner();
    case 'docker':
      throw new UsageError('the docker provisioner is not available yet; use --provisioner local (the default)');
  }
}
