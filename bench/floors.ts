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

/**
 * The hand-written floor of a hybrid view: every cold Parquet file in one `read_parquet` (the year
 * joined on `filename`) `UNION ALL BY NAME` the hot rows (`hotSelect`), grouped by year.
 */
export function coldHotFloorSql(cold: readonly { path: string; year: number }[], hotSelect: string): string {
  const paths = cold.map((c) => `'${c.path}'`).join(', ');
  const years = cold.map((c) => `('${c.path}', ${c.year})`).join(', ');
  return `SELECT consist_year, count(*) AS n, sum(dist) AS total FROM (
      SELECT d.* EXCLUDE (filename), m.y AS consist_year
      FROM read_parquet([${paths}], union_by_name = true, filename = true) AS d JOIN (VALUES ${years}) AS m(f, y) ON d.filename = m.f
    UNION ALL BY NAME ${hotSelect}
  ) GROUP BY consist_year ORDER BY consist_year`;
}

/**
 * Grows h5wasm's heap once (malloc + free of `bytes`) before a format bench times anything. Growing
 * wasm memory copies the whole heap; which side of a pair happened to trigger it made the OMX and
 * pandas ratios swing up to 10× between runs. A long-running process has a grown heap, so neither
 * side should pay for it inside a timed repetition.
 */
export function pregrowWasmHeap(module: { _malloc(bytes: number): number; _free(ptr: number): void }, bytes: number): void {
  const ptr = module._malloc(bytes);
  if (!ptr) throw new Error(`could not grow the wasm heap by ${bytes} bytes`);
  module._free(ptr);
}
