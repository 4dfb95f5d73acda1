import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { crashPoint } from './crash-point';

/**
 * Writes `data` to `file` so that a crash at any point leaves either the old content or the new
 * one, never a mix: write a temp file beside it, fsync, rename over, fsync the directory.
 * @internal
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    crashPoint('atomic:temp-opened');
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  crashPoint('atomic:before-rename');
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  crashPoint('atomic:after-rename');
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}
