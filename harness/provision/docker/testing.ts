/** For tests: what a docker run may leave on this host, outside the engine (its bridge, and iptables rules naming it). */
import { spawnSync } from 'node:child_process';
import { dockerNames } from './labels.js';

export function hostLeftovers(runId: string): string[] {
  const { bridge, comment } = dockerNames(runId);
  const out: string[] = [];
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (const l of links.split('\n')) if (l.includes(`${bridge}:`) || l.includes(`${bridge}@`)) out.push(`link ${bridge}`);
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    const rules = spawnSync('iptables-save', ['-t', table], { encoding: 'utf8' }).stdout ?? '';
    for (const l of rules.split('\n')) if (l.includes(bridge) || l.includes(comment)) out.push(`iptables ${table} ${l}`);
  }
  return out;
}
