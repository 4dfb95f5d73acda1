import type { Dataset } from 'h5wasm';
import { FormatError } from '../../errors';
import { h5try } from './h5-lib';

/** HDF5 filters compiled into h5wasm: deflate, shuffle, fletcher32, nbit, scaleoffset. */
const BUILT_IN = new Set([1, 2, 3, 5, 6]);

/** Registered ids of filters PyTables/h5py writers use that h5wasm lacks (names for the error). */
const KNOWN: Record<number, string> = { 4: 'szip', 307: 'bzip2', 32000: 'lzf', 32001: 'blosc', 32004: 'lz4', 32008: 'bitshuffle', 32015: 'zstd', 32026: 'blosc2' };

/**
 * Fails before a read when a dataset uses a filter h5wasm does not have: without this check the
 * read fails deep inside HDF5 (or, with the error handler off, returns garbage).
 * @throws FormatError `FORMAT_CODEC_UNSUPPORTED` naming the filter and how to repack. @internal
 */
export function assertFiltersReadable(ds: Dataset, label: string, place: string = ds.path): void {
  const filters = h5try(label, place, () => ds.filters) ?? [];
  const missing = filters.find((f) => !BUILT_IN.has(f.id));
  if (missing) throw FormatError.h5FilterUnsupported(label, place, `'${KNOWN[missing.id] ?? missing.name ?? 'unknown'}' (id ${missing.id})`);
}
