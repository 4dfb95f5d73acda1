import { createWriteStream, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { FormatError } from '../../errors';

/** Zip-bomb guard: limits checked from the central directory before anything is written. */
export interface ZipLimits {
  /** Most entries a zip may have (default 10 000; a GTFS feed has ~20). */
  maxEntries?: number;
  /** Most total uncompressed bytes (default 8 GiB). */
  maxTotalBytes?: number;
  /** Largest uncompressed/compressed ratio of one entry above 1 MiB (default 1000). */
  maxRatio?: number;
}

const DEFAULTS: Required<ZipLimits> = { maxEntries: 10_000, maxTotalBytes: 8 * 1024 ** 3, maxRatio: 1000 };

/** True for a name that could escape the target folder or is not a plain relative path. */
export function unsafeEntryName(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.split('/').some((s) => s === '..') || name.includes('\0');
}

const openZip = (path: string) => new Promise<yauzl.ZipFile>((resolve, reject) =>
  yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zf) => (err ? reject(err) : resolve(zf!))));

/** Every entry of the central directory (no data read yet). yauzl's own name checks → ZIP_UNSAFE_ENTRY. */
function listEntries(zf: yauzl.ZipFile, label: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zf.on('entry', (e: yauzl.Entry) => { out.push(e); zf.readEntry(); });
    zf.on('end', () => resolve(out));
    zf.on('error', (err: Error) => {
      const m = /invalid relative path: (.*)|absolute path: (.*)|invalid characters in fileName: (.*)/.exec(err.message);
      reject(m ? FormatError.unsafeZipEntry(label, m[1] ?? m[2] ?? m[3] ?? '') : FormatError.corrupt(label, 'the zip central directory', err));
    });
    zf.readEntry();
  });
}

/**
 * Lists a zip's file entries after the guards: entry count (before reading the directory), unsafe
 * names (`../`, absolute, backslashes), total size and compression ratio. Nothing is written.
 * @throws FormatError `ZIP_UNSAFE_ENTRY`, `ZIP_TOO_LARGE`, `FORMAT_CORRUPT`. @internal
 */
export async function inspectZip(path: string, label: string, limits: ZipLimits = {}): Promise<{ zf: yauzl.ZipFile; files: yauzl.Entry[] }> {
  const lim = { ...DEFAULTS, ...limits };
  let zf: yauzl.ZipFile;
  try {
    zf = await openZip(path);
  } catch (err) {
    throw FormatError.corrupt(label, 'the zip end-of-central-directory record', err);
  }
  try {
    if (zf.entryCount > lim.maxEntries) throw FormatError.zipTooLarge(label, `${zf.entryCount} entries`, `maxEntries ${lim.maxEntries}`);
    const entries = await listEntries(zf, label);
    let total = 0;
    for (const e of entries) {
      if (unsafeEntryName(e.fileName)) throw FormatError.unsafeZipEntry(label, e.fileName);
      total += e.uncompressedSize;
      if (total > lim.maxTotalBytes) throw FormatError.zipTooLarge(label, e.fileName, `maxTotalBytes ${lim.maxTotalBytes}`);
      if (e.uncompressedSize > 1024 ** 2 && e.uncompressedSize / Math.max(1, e.compressedSize) > lim.maxRatio) {
        throw FormatError.zipTooLarge(label, e.fileName, `maxRatio ${lim.maxRatio}`);
      }
    }
    return { zf, files: entries.filter((e) => !e.fileName.endsWith('/')) };
  } catch (err) {
    zf.close();
    throw err;
  }
}

/**
 * Extracts the inspected entries into `dest` (created) — callers extract into a temporary folder
 * and rename it into place, so a failure leaves no partial cache entry. @internal
 */
export async function extractEntries(zf: yauzl.ZipFile, files: readonly yauzl.Entry[], dest: string, label: string): Promise<void> {
  try {
    for (const e of files) {
      const target = nodePath.join(dest, e.fileName);
      if (!target.startsWith(dest + nodePath.sep)) throw FormatError.unsafeZipEntry(label, e.fileName);
      await fs.mkdir(nodePath.dirname(target), { recursive: true });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zf.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s!))));
      try {
        await pipeline(stream, createWriteStream(target));
      } catch (err) {
        throw FormatError.corrupt(label, e.fileName, err);
      }
    }
  } finally {
    zf.close();
  }
}
