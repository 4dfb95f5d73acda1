import { promises as fs } from 'node:fs';
import { HDF5_MAGIC } from './h5/h5-lib';
import { isZarrStore } from './zarr/zarr-meta';

/** Drivers of the transport-model formats (API.md §12). */
export const FORMAT_DRIVERS = ['omx', 'h5', 'zarr', 'gtfs', 'geoparquet', 'geojson'] as const;
/** One of {@link FORMAT_DRIVERS}. */
export type FormatDriver = (typeof FORMAT_DRIVERS)[number];

/** True for a driver `tracker.load` opens as a format handle rather than an Arrow table. */
export const isHandleDriver = (driver: string): boolean => ['omx', 'h5', 'zarr', 'gtfs'].includes(driver);

/** Reads up to `n` bytes at `position` (fewer at the end of the file). */
async function readAt(fh: fs.FileHandle, n: number, position: number): Promise<Buffer> {
  const b = Buffer.alloc(n);
  const { bytesRead } = await fh.read(b, 0, n, position);
  return b.subarray(0, bytesRead);
}

/** Extensions whose driver the extension alone decides (csv/json/arrow/text, optionally gzipped). */
const PLAIN_EXTENSIONS = /\.(csv|tsv|txt|json|jsonl|ndjson|arrow|feather|ipc|yaml|yml|conf)(\.gz)?$/;

/**
 * The format driver of a path from its extension and first bytes, or undefined when it is none of
 * them (the caller falls back to csv/parquet/…/file/dir). `.omx` → omx; HDF5 signature → h5;
 * a directory with `zarr.json`/`.zgroup`/`.zarray` → zarr; a zip named `*gtfs*` or holding
 * `stops.txt` → gtfs; `.geojson` → geojson; Parquet with `geo` metadata → geoparquet.
 * Text and Arrow files by extension (`.csv`, `.json`, `.arrow`, …) are never opened: this runs for
 * every input of every step, cache hits included, so it must cost nothing for the common formats.
 */
export async function sniffFormat(path: string, isDirectory: boolean, size = 0): Promise<FormatDriver | undefined> {
  if (isDirectory) return (await isZarrStore(path)) ? 'zarr' : undefined;
  const lower = path.toLowerCase();
  if (PLAIN_EXTENSIONS.test(lower)) return undefined;
  if (lower.endsWith('.omx')) return 'omx';
  if (lower.endsWith('.geojson')) return 'geojson';
  if (lower.endsWith('.geoparquet')) return 'geoparquet';
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return await sniffOpen(fh, lower, size); // one open for the magic bytes and any footer
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

async function sniffOpen(fh: fs.FileHandle, lower: string, size: number): Promise<FormatDriver | undefined> {
  const tail = (n: number) => readAt(fh, Math.min(n, size), size - Math.min(n, size));
  const start = await readAt(fh, 8, 0);
  if (start.equals(HDF5_MAGIC)) return 'h5';
  if (start.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    if (/gtfs/.test(lower)) return 'gtfs';
    const end = await tail(65_536);
    return end.includes('stops.txt') && end.includes('stop_times.txt') ? 'gtfs' : undefined;
  }
  if (start.subarray(0, 4).toString('latin1') === 'PAR1' && size > 12) {
    const footerLen = (await tail(8)).readUInt32LE(0);
    if (footerLen > 0 && footerLen < 64 * 1024 * 1024) {
      const footer = await tail(footerLen + 8);
      if (footer.includes(Buffer.from('\x03geo', 'latin1'))) return 'geoparquet';
    }
  }
  return undefined;
}
