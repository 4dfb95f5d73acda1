import type { Vector, Table } from 'apache-arrow';
import { Arrow } from '../../util/arrow-lib';
import type { NumericArray } from './h5-dtype';
import type { OmxFile } from './omx-file';

/** Options of {@link omxToLongTable}. */
export interface OmxLongOptions {
  /** Matrices to include (default all). */
  matrices?: string[];
  /** Rows `[r0, r1)` only (large skims: convert a slab at a time). */
  rows?: [number, number];
  /** A lookup whose values label origins/destinations (default: 0-based indices). */
  lookup?: string;
}

/**
 * An OMX file as a long table `origin, destination, <matrix>…` (one row per cell), ready for
 * `tracker.ingest`/views or SQL. Built from typed arrays, no per-row objects.
 */
export function omxToLongTable(omx: OmxFile, options: OmxLongOptions = {}): Table {
  const [nr, nc] = omx.shape;
  const [r0, r1] = options.rows ?? [0, nr];
  const n = (r1 - r0) * nc;
  const labels = options.lookup ? omx.lookups[options.lookup] : undefined;
  const label = (i: number): number => (labels && typeof labels[i] !== 'string' ? Number(labels[i]) : i);
  const origin = new Int32Array(n);
  const destination = new Int32Array(n);
  for (let r = r0, k = 0; r < r1; r++) {
    for (let c = 0; c < nc; c++, k++) {
      origin[k] = label(r);
      destination[k] = label(c);
    }
  }
  const cols: Record<string, Vector> = { origin: Arrow.makeVector(origin), destination: Arrow.makeVector(destination) };
  for (const name of options.matrices ?? omx.matrices) cols[name] = Arrow.makeVector(omx.matrix(name, { rows: [r0, r1] }) as NumericArray as never);
  return new Arrow.Table(cols);
}
