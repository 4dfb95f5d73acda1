import { closeSync, openSync, promises as fs, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { crashPoint } from './crash-point';
import { randomHex } from './ids';

/** Options of {@link writeFileAtomic}. @internal */
export interface AtomicWriteOptions {
  /**
   * Fsync the file before the rename and the folder after it (default true), so the new content
   * survives a power loss. Without it the write is still atomic for every process crash (SIGKILL
   * included: the page cache outlives the process), only a power loss may lose it.
   */
  durable?: boolean;
}

/**
 * Writes `data` to `file` so that a crash at any point leaves either the old content or the new
 * one, never a mix: write a temp file beside it, fsync, rename over, fsync the directory.
 * @internal
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const durable = options.durable ?? true;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomHex(4)}.tmp`);
  if (!durable) return replaceNow(tmp, file, data);
  const handle = await fs.open(tmp, 'w');
  try {
    crashPoint('atomic:temp-opened');
    await handle.writeFile(data);
    if (durable) await handle.sync();
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
  if (durable) await syncDir(dir);
}

/**
 * The non-durable write on the calling thread: with no fsync it is a few page-cache syscalls,
 * cheaper than the four thread-pool round trips (open, write, close, rename) it replaces.
 */
function replaceNow(tmp: string, file: string, data: string | Uint8Array): void {
  const fd = openSync(tmp, 'w');
  try {
    crashPoint('atomic:temp-opened');
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
  crashPoint('atomic:before-rename');
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  crashPoint('atomic:after-rename');
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
