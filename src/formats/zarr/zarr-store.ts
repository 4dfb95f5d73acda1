import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { FormatError } from '../../errors';
import { canonicalJson } from '../canonical';
import { MAX_SLICE_BYTES, type NumericArray } from '../h5/h5-dtype';
import { ZarrArray, type ZarrReadOptions, type ZarrSlice } from './zarr-array';
import { listArrays } from './zarr-meta';

/**
 * A Zarr directory store, v2 or v3 (`tracker.load(zarrArtifact)`): its arrays, and — when the store
 * is a single array — that array's `shape`, `dtype`, `chunks` and `read(slice?)` directly.
 */
export class ZarrStore {
  private constructor(readonly dir: string, readonly arrays: ZarrArray[], readonly attributes: Record<string, unknown>, private readonly label: string) {}

  /** Opens the store at `dir`. @throws FormatError `FORMAT_CODEC_UNSUPPORTED`, `FORMAT_CORRUPT`. */
  static async open(dir: string, label = dir): Promise<ZarrStore> {
    const metas = await listArrays(dir, label);
    const attrs = await rootAttributes(dir, label);
    return new ZarrStore(dir, metas.map((m) => new ZarrArray(dir, m, label)), attrs, label);
  }

  /** Array paths (`''` for a single-array store). */
  get arrayPaths(): string[] { return this.arrays.map((a) => a.path); }

  /** The array at `path`. @throws FormatError `FORMAT_MEMBER_NOT_FOUND`. */
  array(path: string): ZarrArray {
    const a = this.arrays.find((x) => x.path === path.replace(/^\/|\/$/g, ''));
    if (!a) throw FormatError.memberNotFound(this.label, path, this.arrayPaths);
    return a;
  }

  private get only(): ZarrArray {
    if (this.arrays.length !== 1) throw FormatError.memberNotFound(this.label, '(a single array)', this.arrayPaths);
    return this.arrays[0];
  }
  /** Shape of a single-array store (else use {@link array}). */
  get shape(): number[] { return this.only.shape; }
  /** dtype of a single-array store. */
  get dtype(): string { return this.only.dtype; }
  /** Chunk shape of a single-array store. */
  get chunks(): number[] { return this.only.chunks; }
  /** Reads a single-array store (see {@link ZarrArray.read}). */
  read(slice?: ZarrSlice, options?: ZarrReadOptions): Promise<NumericArray> { return this.only.read(slice, options); }
  /** Reads a single-array store of strings (see {@link ZarrArray.readStrings}). */
  readStrings(slice?: ZarrSlice, options?: ZarrReadOptions): Promise<string[]> { return this.only.readStrings(slice, options); }
}

async function rootAttributes(dir: string, label: string): Promise<Record<string, unknown>> {
  for (const [file, pick] of [['zarr.json', (j: Record<string, unknown>) => j.attributes], ['.zattrs', (j: Record<string, unknown>) => j]] as const) {
    const text = await fs.readFile(nodePath.join(dir, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      return (pick(JSON.parse(text) as Record<string, unknown>) as Record<string, unknown>) ?? {};
    } catch (err) {
      throw FormatError.corrupt(label, file, err);
    }
  }
  return {};
}

/**
 * Content identity of a Zarr store: `zarr:` + sha256 over the root attributes and each array's path,
 * dtype, shape, attributes and decoded values (read in ≤ 256 MiB slabs). Chunking, codecs, Zarr
 * version and key encoding do not enter it. @internal
 */
export async function zarrContentHash(dir: string, label = dir): Promise<string> {
  const store = await ZarrStore.open(dir, label);
  const hash = createHash('sha256');
  const put = (tag: string, text: string) => hash.update(`${tag}:${Buffer.byteLength(text)}:${text}\n`);
  put('root-attrs', canonicalJson(store.arrays.length === 1 && store.arrays[0].path === '' ? {} : store.attributes));
  for (const a of store.arrays) {
    put('array', a.path);
    put('dtype', a.dtype);
    put('shape', JSON.stringify(a.shape));
    put('attrs', canonicalJson(a.attributes));
    const values = async (slice: ZarrSlice) => (a.meta.strings ? Buffer.from(canonicalJson(await a.readStrings(slice))) : viewBytes(await a.read(slice)));
    if (a.shape.length === 0) { hash.update(await values([])); continue; }
    const rowElems = a.shape.slice(1).reduce((x, y) => x * y, 1);
    const step = Math.max(1, Math.floor(MAX_SLICE_BYTES / 8 / Math.max(1, rowElems)));
    for (let r = 0; r < a.shape[0]; r += step) {
      hash.update(await values([[r, Math.min(a.shape[0], r + step)]]));
    }
  }
  return `zarr:${hash.digest('hex')}`;
}

const viewBytes = (v: NumericArray) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
