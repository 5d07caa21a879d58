/** Where an in-repo target's compiled node program is. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled node entry point next to the module at `moduleUrl` (its
 * `node.js`), also when that module runs from source: then the one under
 * dist/, at `distPath` from the repository's root.
 */
export function compiledEntryPoint(moduleUrl: string, distPath: string): string {
  const sibling = fileURLToPath(new URL('./node.js', moduleUrl));
  if (existsSync(sibling)) return sibling;
  return fileURLToPath(new URL(`../../${distPath}`, moduleUrl));
}
