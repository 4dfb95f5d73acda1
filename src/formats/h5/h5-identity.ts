import { createHash, type Hash } from 'node:crypto';
import type { Dataset } from 'h5wasm';
import { canonicalJson } from '../canonical';
import { dtypeName } from './h5-dtype';
import { h5try, openH5, readAttrs, walkDatasets } from './h5-lib';
import { assertFiltersReadable } from './h5-filters';
import { forEachRowSlice } from './raw-read';

/**
 * Attributes that record how a writer stored data, not what it is (PyTables' bookkeeping): left
 * out of content identity so openmatrix/PyTables and h5wasm writes of the same matrices hash equal.
 */
const WRITER_ATTRS = new Set(['CLASS', 'TITLE', 'VERSION', 'FLAVOR', 'FILTERS', 'PYTABLES_FORMAT_VERSION']);

/** Attributes minus writer bookkeeping, canonical JSON. @internal */
export function identityAttrs(attrs: Record<string, unknown>): string {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) if (!WRITER_ATTRS.has(k)) kept[k] = v;
  return canonicalJson(kept);
}

/**
 * Content identity of an HDF5 file: `hdf5:` + sha256 over every group's attributes and every
 * dataset's path, dtype, shape, attributes and decoded values (read in ≤ 256 MiB slices), in sorted
 * path order. Chunking, compression, write time and library version do not enter it, so two writes
 * of the same data hash equal (the file bytes do not, reference/formats.md §1e). @internal
 */
export async function hdf5ContentHash(path: string, label = path): Promise<string> {
  const file = await openH5(path, label);
  try {
    const hash = createHash('sha256');
    const put = (tag: string, text: string) => hash.update(`${tag}:${Buffer.byteLength(text)}:${text}\n`);
    put('root-attrs', identityAttrs(readAttrs(file as never)));
    for (const p of walkDatasets(file)) {
      const ds = file.get(p) as Dataset;
      const m = ds.metadata;
      put('dataset', p);
      put('dtype', dtypeName(m));
      put('shape', JSON.stringify(ds.shape ?? []));
      put('attrs', identityAttrs(readAttrs(ds as never)));
      const parent = p.slice(0, p.lastIndexOf('/')) || '/';
      put('group-attrs', identityAttrs(readAttrs(file.get(parent) as never)));
      await hashValues(hash, ds, p, label);
    }
    return `hdf5:${hash.digest('hex')}`;
  } finally {
    file.close();
  }
}

async function hashValues(hash: Hash, ds: Dataset, p: string, label: string): Promise<void> {
  const m = ds.metadata;
  const shape = ds.shape ?? [];
  assertFiltersReadable(ds, label, p);
  if (m.vlen || m.vlen_type || shape.length === 0) {
    const v = h5try(label, p, () => ds.value);
    hash.update(canonicalJson(toJsonable(v)));
    return;
  }
  await forEachRowSlice(ds, label, {}, (view) => hash.update(view));
}

function toJsonable(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (Array.isArray(v)) return v.map(toJsonable);
  return v ?? null;
}
