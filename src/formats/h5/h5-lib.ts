import type * as H5 from 'h5wasm';
import { FormatError } from '../../errors';
import { requireEsm } from '../esm';

/** The h5wasm module namespace (File, Dataset, …). @internal */
export type H5Lib = typeof H5;
/** An h5wasm file handle. @internal */
export type H5File = H5.File;
/** An h5wasm dataset. @internal */
export type H5Dataset = H5.Dataset;

let ready: Promise<H5Lib> | undefined;

/**
 * h5wasm, initialised once per process with the throwing error handler on: without it a dataset
 * whose filter is missing reads as garbage with no error (reference/formats.md §1b). @internal
 */
export function h5lib(): Promise<H5Lib> {
  ready ??= (async () => {
    const lib = requireEsm<H5Lib>('h5wasm', 'dist/node/hdf5_hl.js');
    const Module = await lib.ready;
    Module.activate_throwing_error_handler();
    return lib;
  })();
  return ready;
}

/** HDF5 files start with this signature (at offset 0, or 512/1024/… with a user block). */
export const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Opens an HDF5 file read-only; a file that is not HDF5, truncated or corrupt → `FORMAT_CORRUPT`
 * naming the file. @internal
 */
export async function openH5(path: string, label = path): Promise<H5File> {
  const lib = await h5lib();
  try {
    const f = new lib.File(path, 'r');
    f.keys(); // touches the root group: a truncated file fails here, not later
    return f;
  } catch (err) {
    throw FormatError.corrupt(label, 'the file header / root group', err);
  }
}

/** Runs `fn` on an h5wasm object, mapping an HDF5 failure to `FORMAT_CORRUPT` at `place`. @internal */
export function h5try<T>(label: string, place: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw FormatError.corrupt(label, place, err);
  }
}

/** Attributes of an object as plain JSON-compatible values (typed arrays → number arrays). @internal */
export function readAttrs(obj: { attrs: Record<string, { json_value: unknown }> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(obj.attrs).sort()) {
    try {
      out[name] = obj.attrs[name].json_value;
    } catch {
      out[name] = '(unreadable attribute)';
    }
  }
  return out;
}

/** Every dataset path under `group` (depth-first, sorted), e.g. `/data/time`. @internal */
export function walkDatasets(file: H5File, group = '/'): string[] {
  const out: string[] = [];
  const g = file.get(group) as H5.Group | null;
  if (!g || !('keys' in g)) return out;
  for (const name of g.keys().sort()) {
    const p = group === '/' ? `/${name}` : `${group}/${name}`;
    const kind = g.get(name);
    if (kind && (kind as H5.Dataset).constructor?.name === 'Dataset') out.push(p);
    else if (kind && 'keys' in (kind as object)) out.push(...walkDatasets(file, p));
  }
  return out;
}
