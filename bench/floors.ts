import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * A floor for "record one run": an atomic write of `bytes` bytes into a new folder under `root`
 * (mkdir, temp file, fsync, rename, fsync of the folder), the least a crash-safe snapshot costs.
 */
export function atomicWriteFloor(root: string, bytes: number): () => Promise<void> {
  const payload = Buffer.alloc(bytes, 0x20);
  let n = 0;
  return async () => {
    const folder = path.join(root, `snap_${n++}`);
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, 'consist.json');
    const h = await fs.open(`${file}.tmp`, 'w');
    await h.writeFile(payload);
    await h.sync();
    await h.close();
    await fs.rename(`${file}.tmp`, file);
    const d = await fs.open(folder, 'r');
    await d.sync();
    await d.close();
  };
}
