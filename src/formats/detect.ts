import { promises as fs } from 'node:fs';
import { HDF5_MAGIC } from './h5/h5-lib';
import { isZarrStore } from './zarr/zarr-meta';

/** Drivers of the transport-model formats (API.md §12). */
export const FORMAT_DRIVERS = ['omx', 'h5', 'zarr', 'gtfs', 'geoparquet', 'geojson'] as const;
/** One of {@link FORMAT_DRIVERS}. */
export type FormatDriver = (typeof FORMAT_DRIVERS)[number];

/** True for a driver `tracker.load` opens as a format handle rather than an Arrow table. */
export const isHandleDriver = (driver: string): boolean => ['omx', 'h5', 'zarr', 'gtfs'].includes(driver);

async function head(path: string, n: number): Promise<Buffer> {
  const fh = await fs.open(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function tail(path: string, size: number, n: number): Promise<Buffer> {
  const fh = await fs.open(path, 'r');
  try {
    const len = Math.min(n, size);
    const b = Buffer.alloc(len);
    await fh.read(b, 0, len, size - len);
    return b;
  } finally {
    await fh.close();
  }
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
  const start = await head(path, 8).catch(() => Buffer.alloc(0));
  if (start.equals(HDF5_MAGIC)) return 'h5';
  if (start.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    if (/gtfs/.test(lower)) return 'gtfs';
    const end = await tail(path, size, 65_536).catch(() => Buffer.alloc(0));
    return end.includes('stops.txt') && end.includes('stop_times.txt') ? 'gtfs' : undefined;
  }
  if (start.subarray(0, 4).toString('latin1') === 'PAR1' && size > 12) {
    const end = await tail(path, size, 8);
    const footerLen = end.readUInt32LE(0);
    if (footerLen > 0 && footerLen < 64 * 1024 * 1024) {
      const footer = await tail(path, size, footerLen + 8);
      if (footer.includes(Buffer.from('\x03geo', 'latin1'))) return 'geoparquet';
    }
  }
  return undefined;
}
