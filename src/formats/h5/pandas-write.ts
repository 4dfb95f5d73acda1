import { FormatError } from '../../errors';
import { H5T, type NumericArray } from './h5-dtype';
import { h5lib } from './h5-lib';

/** Numeric columns {@link writePandasTable} writes. */
export type PandasNumericColumn = Float64Array | BigInt64Array | Int32Array;

/** What {@link writePandasTable} writes: `rows` rows of numeric `columns` under group `key`. */
export interface PandasTableSpec {
  key: string;
  columns: Record<string, PandasNumericColumn>;
  /** Rows per HDF5 chunk (default 4096). */
  chunkRows?: number;
  /** gzip level 1–9 (PyTables' zlib), or none (default). */
  gzip?: number;
}

const DTYPES = new Map<unknown, { name: string; type: number; size: number; signed: boolean }>([
  [Float64Array, { name: 'float64', type: H5T.FLOAT, size: 8, signed: true }],
  [BigInt64Array, { name: 'int64', type: H5T.INTEGER, size: 8, signed: true }],
  [Int32Array, { name: 'int32', type: H5T.INTEGER, size: 4, signed: true }],
]);

/** A protocol-0 pickle of a list of str, as PyTables stores pandas' `<col>_kind` attrs. */
const pickleNames = (names: readonly string[]) => `(lp0\n${names.map((n, i) => `V${n}\np${i + 1}\na`).join('')}.`;

/**
 * Writes a pandas `table`-format frame (`format='table', data_columns=True` layout: one compound
 * `table` dataset with an int64 `index` and one member per numeric column) with h5wasm: the
 * fixtures of the pandas decoding tests and bench, at any size, without Python. Not a general
 * pandas writer (no strings, no values blocks). @internal
 */
export async function writePandasTable(path: string, spec: PandasTableSpec): Promise<void> {
  const { File, Module } = await h5lib();
  const names = Object.keys(spec.columns);
  const n = names.length ? spec.columns[names[0]].length : 0;
  const fields = [{ name: 'index', meta: DTYPES.get(BigInt64Array)! }, ...names.map((name) => ({ name, meta: DTYPES.get(spec.columns[name].constructor) }))];
  let offset = 0;
  const members = fields.map((f) => {
    if (!f.meta) throw FormatError.unsupportedLayout(path, `column ${f.name}`, 'a column type other than Float64Array/BigInt64Array/Int32Array');
    const m = { name: f.name, offset, type: f.meta.type, size: f.meta.size, signed: f.meta.signed, littleEndian: true, vlen: false, shape: null, chunks: null, maxshape: null, total_size: 1 };
    offset += f.meta.size;
    return m;
  });
  const recordSize = offset;
  const file = new File(path, 'w');
  const ptr = Module._malloc(Math.max(1, n * recordSize));
  try {
    const heap = Module.HEAPU8.subarray(ptr, ptr + n * recordSize);
    const cols: NumericArray[] = [BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), ...names.map((c) => spec.columns[c])];
    cols.forEach((col, j) => scatter(heap, { col, recordSize, offset: members[j].offset }));
    const group = file.create_group(spec.key);
    for (const [k, v] of Object.entries({ pandas_type: 'frame_table', table_type: 'appendable_frame', pandas_version: '0.15.2', encoding: 'UTF-8', nan_rep: 'nan' })) group.create_attribute(k, v);
    group.create_attribute('non_index_axes', `(lp0\n(I1\n${pickleNames(names).slice(0, -1)}tp${names.length + 2}\na.`);
    Module.create_dataset(file.file_id, `/${spec.key}/table`, BigInt(ptr), {
      type: H5T.COMPOUND, size: recordSize, signed: false, littleEndian: true, vlen: false, total_size: n,
      shape: [BigInt(n)], maxshape: null, chunks: [BigInt(Math.max(1, Math.min(n, spec.chunkRows ?? 4096)))] as never,
      compression: spec.gzip ? 1 : 0, compression_opts: spec.gzip ? [spec.gzip] : [],
      compound_type: { nmembers: members.length, members },
    } as never);
    const table = file.get(`${spec.key}/table`) as unknown as { create_attribute(k: string, v: string): void };
    table.create_attribute('index_kind', 'integer');
    for (const f of fields.slice(1)) {
      table.create_attribute(`${f.name}_dtype`, f.meta!.name);
      table.create_attribute(`${f.name}_kind`, pickleNames([f.name]));
    }
  } finally {
    Module._free(ptr);
    file.close();
  }
}

/** Copies a column into its field of every record (byte-wise; fixture writing, not a hot path). */
function scatter(heap: Uint8Array, c: { col: NumericArray; recordSize: number; offset: number }): void {
  const bytes = new Uint8Array(c.col.buffer, c.col.byteOffset, c.col.byteLength);
  const w = c.col.BYTES_PER_ELEMENT;
  for (let i = 0; i < c.col.length; i++) heap.set(bytes.subarray(i * w, i * w + w), i * c.recordSize + c.offset);
}
