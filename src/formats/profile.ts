import type { HashingMode } from '../identity/hash';
import { profileGtfsZip } from './gtfs/gtfs-profile';
import { hdf5ContentHash } from './h5/h5-identity';
import { H5Store } from './h5/h5-store';
import { OmxFile } from './h5/omx-file';
import { ZarrStore, zarrContentHash } from './zarr/zarr-store';

/** Most datasets/arrays listed in artifact metadata (the rest are counted). */
const MAX_LISTED = 200;

/**
 * What is recorded under `meta.format` when a file of a format driver is logged: matrix names,
 * shapes, dtypes and attributes (OMX); datasets and pandas tables with columns and row counts
 * (HDF5); arrays (Zarr); files and row counts (GTFS). Undefined for drivers with nothing to add.
 * @throws FormatError for a corrupt file — before anything is recorded. @internal
 */
export async function profileFormat(path: string, driver: string, label: string): Promise<Record<string, unknown> | undefined> {
  if (driver === 'omx') {
    const omx = await OmxFile.open(path, label);
    try {
      const lookups = Object.fromEntries(Object.entries(omx.lookups).map(([k, v]) => [k, { length: v.length }]));
      return { kind: 'omx', shape: omx.shape, attributes: omx.attributes, matrices: omx.matrices.slice(0, MAX_LISTED).map((m) => omx.info(m)),
        matrixCount: omx.matrices.length, lookups };
    } finally {
      omx.close();
    }
  }
  if (driver === 'h5') {
    const store = await H5Store.open(path, label);
    try {
      return { kind: 'h5', attributes: store.attributes, datasets: store.datasets.slice(0, MAX_LISTED), datasetCount: store.datasets.length,
        tables: store.tables };
    } finally {
      store.close();
    }
  }
  if (driver === 'zarr') {
    const store = await ZarrStore.open(path, label);
    return { kind: 'zarr', attributes: store.attributes, arrays: store.arrays.slice(0, MAX_LISTED).map((a) => ({
      path: a.path, shape: a.shape, dtype: a.dtype, chunks: a.chunks, zarrFormat: a.meta.zarrFormat,
      codecs: a.meta.codecs.map((c) => c.name), attributes: a.attributes })), arrayCount: store.arrays.length };
  }
  if (driver === 'gtfs') return { kind: 'gtfs', files: await profileGtfsZip(path, label) };
  return undefined;
}

/**
 * Content identity of an HDF5/OMX file or a Zarr store under `full` hashing (over data and
 * attributes, not bytes); undefined for other drivers and for `fast` hashing (size + mtime as
 * before). @internal
 */
export async function formatContentHash(path: string, driver: string, mode: HashingMode, label: string): Promise<string | undefined> {
  if (mode !== 'full') return undefined;
  if (driver === 'omx' || driver === 'h5') return hdf5ContentHash(path, label);
  if (driver === 'zarr') return zarrContentHash(path, label);
  return undefined;
}
