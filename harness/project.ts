/**
 * Where this project's code is, and how a node process of it runs on this
 * machine: every provisioner runs a node's processes in the project root,
 * with NODE standing for its own Node.js.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE, type ProcessLaunch } from './target.js';

/** The folder of this project's package.json (the checkout), found from this module in harness/ or dist/harness/. */
export const PROJECT_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
})();

/** How a process runs on this machine: NODE becomes this Node.js, in the project root. */
export function hostCommand(p: ProcessLaunch): { file: string; args: string[]; cwd: string } {
  const [first, ...args] = p.argv;
  if (first === undefined) throw new Error(`empty argv for process ${p.name}`);
  return { file: first === NODE ? process.execPath : first, args, cwd: PROJECT_ROOT };
}
