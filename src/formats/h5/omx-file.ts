import type { Dataset } from 'h5wasm';
import { FormatError } from '../../errors';
import { dtypeName, numericCtor, rowsPerSlice, type NumericArray } from './h5-dtype';
import { assertFiltersReadable } from './h5-filters';
import { h5try, openH5, readAttrs, type H5File } from './h5-lib';

/** One OMX matrix as recorded in artifact metadata and returned by {@link OmxFile.info}. */
export interface OmxMatrixInfo {
  name: string;
  shape: number[];
  dtype: string;
  attributes: Record<string, unknown>;
}

/** Options of {@link OmxFile.matrix}: a row range `[start, end)` reads only those rows. */
export interface MatrixReadOptions {
  rows?: [number, number];
}

/**
 * An open OpenMatrix (OMX) file (`tracker.load(omxArtifact)`): matrices under `/data`, lookups under
 * `/lookup`, root attributes (`OMX_VERSION`, `SHAPE`). Matrices are read in row slices of at most
 * 256 MiB, so a matrix larger than the 2 GiB wasm heap still loads (into JS memory). Call
 * {@link close} when done.
 */
export class OmxFile {
  /** Matrix names under `/data`, sorted. */
  readonly matrices: string[];
  private cachedAttributes: Record<string, unknown> | undefined;
  private cachedLookups: Record<string, NumericArray | string[]> | undefined;

  private constructor(private readonly file: H5File, readonly path: string, private readonly label: string) {
    this.matrices = listGroup(file, 'data');
  }

  /** Root attributes as JSON values (read on first use: a matrix read needs none of them). */
  get attributes(): Record<string, unknown> {
    this.cachedAttributes ??= readAttrs(this.file as never);
    return this.cachedAttributes;
  }

  /** Lookup vectors under `/lookup` (zone ids…), by name (read on first use). */
  get lookups(): Record<string, NumericArray | string[]> {
    if (!this.cachedLookups) {
      const lookups: Record<string, NumericArray | string[]> = {};
      for (const name of listGroup(this.file, 'lookup')) {
        lookups[name] = h5try(this.label, `/lookup/${name}`, () => (this.file.get(`lookup/${name}`) as Dataset).value as NumericArray | string[]);
      }
      this.cachedLookups = lookups;
    }
    return this.cachedLookups;
  }

  /** `[rows, cols]` of every matrix (the root `SHAPE` attribute, else the first matrix's shape). */
  get shape(): [number, number] {
    const shape = this.attributes.SHAPE as number[] | undefined;
    if (Array.isArray(shape) && shape.length === 2) return [shape[0], shape[1]];
    const first = this.matrices[0] ? this.dataset(this.matrices[0]).shape : undefined;
    return [first?.[0] ?? 0, first?.[1] ?? 0];
  }

  /** Opens the file at `path` (`label` names it in errors). @throws FormatError `FORMAT_CORRUPT`. */
  static async open(path: string, label = path): Promise<OmxFile> {
    const file = await openH5(path, label);
    try {
      return new OmxFile(file, path, label);
    } catch (err) {
      file.close();
      throw err;
    }
  }

  /** Name, shape, dtype and attributes of one matrix. @throws FormatError `FORMAT_MEMBER_NOT_FOUND`. */
  info(name: string): OmxMatrixInfo {
    const ds = this.dataset(name);
    return { name, shape: ds.shape ?? [], dtype: dtypeName(ds.metadata), attributes: readAttrs(ds as never) };
  }

  /**
   * The matrix's values, row-major (`rows × cols`), as its own typed array (`Float64Array` for
   * float64…); `{ rows: [r0, r1] }` reads rows r0 (incl.) to r1 (excl.) only.
   */
  matrix(name: string, options: MatrixReadOptions = {}): NumericArray {
    const ds = this.dataset(name);
    const [nr, nc] = [ds.shape?.[0] ?? 0, ds.shape?.[1] ?? 1];
    const [r0, r1] = options.rows ?? [0, nr];
    if (!(Number.isInteger(r0) && Number.isInteger(r1) && r0 >= 0 && r1 <= nr && r0 <= r1)) {
      throw FormatError.memberNotFound(this.label, `/data/${name} rows [${r0}, ${r1})`, [`rows [0, ${nr})`]);
    }
    const Ctor = numericCtor(ds.metadata);
    if (!Ctor) throw FormatError.unsupportedLayout(this.label, `/data/${name}`, `matrix dtype ${dtypeName(ds.metadata)}`);
    assertFiltersReadable(ds, this.label, `/data/${name}`);
    const step = rowsPerSlice(nc * Ctor.BYTES_PER_ELEMENT);
    if (r0 === 0 && r1 === nr && nr <= step) {
      return h5try(this.label, `/data/${name}`, () => ds.value as NumericArray); // whole matrix: no hyperslab selection
    }
    if (r1 - r0 <= step) return this.slice(ds, name, r0, r1);
    const out = new Ctor((r1 - r0) * nc);
    for (let r = r0; r < r1; r += step) out.set(this.slice(ds, name, r, Math.min(r1, r + step)) as never, (r - r0) * nc);
    return out;
  }

  /** Closes the HDF5 file; further reads fail. Idempotent. */
  close(): void {
    try {
      this.file.close();
    } catch {
      // already closed
    }
  }

  private slice(ds: Dataset, name: string, r0: number, r1: number): NumericArray {
    return h5try(this.label, `/data/${name} rows [${r0}, ${r1})`, () => ds.slice([[r0, r1], []]) as NumericArray);
  }

  private dataset(name: string): Dataset {
    const ds = this.matrices.includes(name) ? (this.file.get(`data/${name}`) as Dataset | null) : null;
    if (!ds) throw FormatError.memberNotFound(this.label, `/data/${name}`, this.matrices);
    return ds;
  }
}

/** Names of the members of a top-level group, sorted; [] when the group is absent. @internal */
export function listGroup(file: H5File, group: string): string[] {
  const g = file.get(group) as { keys?: () => string[] } | null;
  return g && typeof g.keys === 'function' ? g.keys().sort() : [];
}
