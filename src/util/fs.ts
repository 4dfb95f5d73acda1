import { closeSync, mkdirSync, openSync, promises as fs } from 'node:fs';
import * as path from 'node:path';

/** True when `p` exists (file, directory or anything else). @internal */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** True when the OS reports a live process with this pid on this host. @internal */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates an empty marker file `dir/name` (creating is atomic: it exists or not). The folder is
 * created only when missing, so the common case is one open and one close, on the calling thread. Not fsynced. @internal
 */
export async function touchMarker(dir: string, name: string): Promise<void> {
  // Synchronous on purpose: creating an empty file is one or two page-cache syscalls, cheaper than
  // the two thread-pool round trips of an async open + close (markers sit on every run's path).
  const file = path.join(dir, name);
  try {
    closeSync(openSync(file, 'w'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dir, { recursive: true });
    closeSync(openSync(file, 'w'));
  }
}
