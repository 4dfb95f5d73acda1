import type { Dataset } from 'h5wasm';
import type { Table } from 'apache-arrow';
import { FormatError } from '../../errors';
import { dtypeName, numericCtor, rowsPerSlice, type NumericArray } from './h5-dtype';
import { assertFiltersReadable } from './h5-filters';
import { h5try, openH5, readAttrs, walkDatasets, type H5File } from './h5-lib';
import { listPandas, readPandas, type PandasTableInfo } from './pandas';

/** One dataset of an HDF5 file as listed by {@link H5Store.datasets}. */
export interface H5DatasetInfo {
  path: string;
  shape: number[];
  dtype: string;
}

/**
 * An open HDF5 file (`tracker.load(h5Artifact)`): every dataset, and the pandas frames of an
 * HDFStore (ActivitySim's `pipeline.h5`, UrbanSim stores) readable as Arrow tables. Call
 * {@link close} when done.
 */
export class H5Store {
  /** Every dataset, depth-first, sorted by path. */
  readonly datasets: H5DatasetInfo[];
  /** The pandas frames (`fixed` and `table` format) with their columns and row counts. */
  readonly tables: PandasTableInfo[];
  /** Root attributes. */
  readonly attributes: Record<string, unknown>;

  private constructor(private readonly file: H5File, readonly path: string, private readonly label: string) {
    this.attributes = readAttrs(file as never);
    this.datasets = walkDatasets(file).map((p) => {
      const ds = file.get(p) as Dataset;
      return h5try(label, p, () => ({ path: p, shape: ds.shape ?? [], dtype: dtypeName(ds.metadata) }));
    });
    this.tables = listPandas(file, label);
  }

  /** Opens the file at `path` (`label` names it in errors). @throws FormatError `FORMAT_CORRUPT`. */
  static async open(path: string, label = path): Promise<H5Store> {
    const file = await openH5(path, label);
    try {
      return new H5Store(file, path, label);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** A pandas frame as an Arrow table (index column first). @throws FormatError `FORMAT_MEMBER_NOT_FOUND`. */
  table(key: string): Promise<Table> {
    return readPandas(this.file, key, this.label);
  }

  /** A numeric dataset's values (row-major), optionally rows `[r0, r1)`, read in ≤ 256 MiB slices. */
  dataset(path: string, options: { rows?: [number, number] } = {}): NumericArray {
    const ds = this.file.get(path.replace(/^\//, '')) as Dataset | null;
    if (!ds || !this.datasets.some((d) => d.path === `/${path.replace(/^\//, '')}`)) {
      throw FormatError.memberNotFound(this.label, path, this.datasets.map((d) => d.path));
    }
    const Ctor = numericCtor(ds.metadata);
    if (!Ctor) throw FormatError.unsupportedLayout(this.label, path, `dataset dtype ${dtypeName(ds.metadata)} (use table())`);
    assertFiltersReadable(ds, this.label, path);
    const shape = ds.shape ?? [];
    const [r0, r1] = options.rows ?? [0, shape[0] ?? 1];
    if (shape.length === 0) return h5try(this.label, path, () => new Ctor(1).fill(ds.value as never) as NumericArray);
    const rowLen = shape.slice(1).reduce((a, b) => a * b, 1);
    const step = rowsPerSlice(rowLen * Ctor.BYTES_PER_ELEMENT);
    const read = (a: number, b: number) => h5try(this.label, `${path} rows [${a}, ${b})`, () => ds.slice([[a, b]]) as NumericArray);
    if (r1 - r0 <= step) return read(r0, r1);
    const out = new Ctor((r1 - r0) * rowLen);
    for (let r = r0; r < r1; r += step) out.set(read(r, Math.min(r1, r + step)) as never, (r - r0) * rowLen);
    return out;
  }

  /** Attributes of a dataset or group. */
  attributesOf(path: string): Record<string, unknown> {
    const obj = this.file.get(path.replace(/^\//, '') || '/');
    if (!obj) throw FormatError.memberNotFound(this.label, path, this.datasets.map((d) => d.path));
    return readAttrs(obj as never);
  }

  /** Closes the file. Idempotent. */
  close(): void {
    try {
      this.file.close();
    } catch {
      // already closed
    }
  }
}
