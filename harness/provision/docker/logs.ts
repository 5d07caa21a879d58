/** Copying a node's folder (its process logs and data) out of its container into the run's folder. */
import type Docker from 'dockerode';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/** Inside every node container: the node's folder, as `nodes/<node>/` is on the controller. */
export const NODE_DIR = '/hx/node';

/** Copy the contents of the container's NODE_DIR into `dest` (created when missing). */
export async function copyNodeDir(docker: Docker, container: string, dest: string): Promise<void> {
  const archive = await docker.getContainer(container).getArchive({ path: `${NODE_DIR}/.` });
  await mkdir(dest, { recursive: true });
  // The archive holds the folder's contents under "./", so it unpacks in place.
  const tar = spawn('tar', ['-x', '-C', dest, '--no-same-owner'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  tar.stderr.on('data', (b: Buffer) => (err += b.toString()));
  archive.pipe(tar.stdin);
  const code = await new Promise<number | null>((resolve) => tar.on('close', resolve));
  if (code !== 0) throw new Error(`could not unpack the logs of ${container} into ${dest}: ${err.trim()}`);
}
