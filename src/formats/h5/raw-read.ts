import type { Dataset } from 'h5wasm';
import { FormatError } from '../../errors';
import { MAX_SLICE_BYTES } from './h5-dtype';
import { gatherField } from './strided';
import { assertFiltersReadable } from './h5-filters';
import { h5lib } from './h5-lib';

/** Bytes per row of a dataset (element size × the product of the trailing dimensions). @internal */
export function rowBytesOf(ds: Dataset): number {
  const shape = ds.metadata.shape ?? [];
  return ds.metadata.size * shape.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Rows per slice: `sliceBytes` worth, rounded to whole HDF5 chunks (at least one, at most
 * {@link MAX_SLICE_BYTES}) — a slice that cuts a compressed chunk larger than HDF5's 1 MiB chunk
 * cache would decompress that chunk once per slice.
 */
function sliceRows(chunkRows: number | undefined, rowBytes: number, sliceBytes: number): number {
  const rows = Math.max(1, Math.floor(sliceBytes / Math.max(1, rowBytes)));
  if (!chunkRows || chunkRows <= 1) return rows;
  const whole = Math.max(chunkRows, Math.floor(rows / chunkRows) * chunkRows);
  return Math.min(whole, Math.max(1, Math.floor(MAX_SLICE_BYTES / Math.max(1, rowBytes))));
}

/** Options of {@link forEachRowSlice}. @internal */
export interface RowSliceOptions {
  /** Largest slice in bytes (default {@link MAX_SLICE_BYTES}); at least one row is read per slice. */
  sliceBytes?: number;
  /** Rows `[r0, r1)` to read (default all). */
  rows?: [number, number];
}

/**
 * Reads a dataset's rows slice by slice into one reused wasm-heap buffer and hands each slice to
 * `fn` as a view of the heap (no copy): the fast path for pandas `table` compounds and content
 * hashing (h5wasm's `.value` builds nested JS arrays, ~20× slower). The view is valid only during
 * the call. Non-vlen types only. @throws FormatError `FORMAT_CORRUPT`. @internal
 */
export async function forEachRowSlice(
  ds: Dataset, label: string, opts: RowSliceOptions, fn: (view: Uint8Array, r0: number, r1: number) => void,
): Promise<void> {
  const { Module } = await h5lib();
  const meta = ds.metadata;
  if (meta.vlen) throw FormatError.unsupportedLayout(label, ds.path, 'raw reads of variable-length data');
  assertFiltersReadable(ds, label);
  const rest = (meta.shape ?? []).slice(1);
  const rowBytes = rowBytesOf(ds);
  const [r0, r1] = opts.rows ?? [0, meta.shape?.[0] ?? 1];
  const step = Math.min(Math.max(1, r1 - r0), sliceRows(meta.chunks?.[0], rowBytes, opts.sliceBytes ?? MAX_SLICE_BYTES));
  if (r1 <= r0 || rowBytes === 0) return;
  const ptr = Module._malloc(step * rowBytes);
  if (!ptr) throw FormatError.unsupportedLayout(label, ds.path, `a ${step * rowBytes}-byte slice (wasm heap exhausted)`);
  try {
    for (let a = r0; a < r1; a += step) {
      const b = Math.min(r1, a + step);
      try {
        const count = [BigInt(b - a), ...rest.map(BigInt)];
        Module.get_dataset_data(ds.file_id, ds.path, count, [BigInt(a), ...rest.map(() => 0n)], count.map(() => 1n), BigInt(ptr));
      } catch (err) {
        throw FormatError.corrupt(label, `${ds.path} rows [${a}, ${b})`, err);
      }
      fn(Module.HEAPU8.subarray(ptr, ptr + (b - a) * rowBytes), a, b);
    }
  } finally {
    Module._free(ptr);
  }
}

/** One fixed-size field of a dataset's rows (a compound member, one column of a 2-D block). @internal */
export interface RowField {
  /** Byte offset inside a row. */
  offset: number;
  /** Bytes per value. */
  width: number;
}

/** Slice size for column gathers: small enough that every column's pass over a slice hits the CPU cache. */
const GATHER_SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Gathers `fields` of every row of a dataset into packed byte columns (`width` bytes per row),
 * straight from wasm-heap slices: one read of the data, no per-row JS objects. @internal
 */
export async function readRowFields(ds: Dataset, label: string, fields: readonly RowField[]): Promise<Uint8Array[]> {
  const n = ds.metadata.shape?.[0] ?? 1;
  const recordSize = rowBytesOf(ds);
  const outs = fields.map((f) => new Uint8Array(n * f.width));
  await forEachRowSlice(ds, label, { sliceBytes: GATHER_SLICE_BYTES }, (src, a, b) => {
    for (let i = 0; i < fields.length; i++) {
      gatherField({ src, recordSize, offset: fields[i].offset, width: fields[i].width, rows: b - a, dst: outs[i], dstRow: a });
    }
  });
  return outs;
}
