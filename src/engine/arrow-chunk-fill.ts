import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { arrowCellReader } from './arrow-types';

/**
 * Byte-level fills of DuckDB vectors from Arrow buffers, with no JS value per cell: fixed-width
 * columns are copied straight from the Arrow buffer, booleans expand bits to bytes, and strings of
 * at most 12 bytes are written as DuckDB's inlined `string_t` (4-byte length + 12 bytes, zero
 * padded; the layout of `duckdb_string_t` in the C API). Longer strings go in one
 * `vector_assign_string_element_len` call each, from the Arrow bytes (never decoded to JS strings).
 * Validity bits are copied as DuckDB's LSB-first mask, the same bit order as Arrow's.
 *
 * Every filler writes rows `[start, start + n)` of its Arrow Data into rows `[0, n)` of a vector of
 * a chunk of at most 2048 rows. A type with no filler here returns undefined, and the caller uses
 * the cell-by-cell path. @internal
 */
export type VectorFill = (vector: duckdb.Vector, start: number, n: number) => void;

const SLOT = 16;
const INLINE_MAX = 12;
/** Rows per DataChunk: DuckDB's vector size. @internal */
export const CHUNK_ROWS = 2048;

/** The Arrow time units whose DuckDB type (chosen by duckDbTypeForArrow) stores the same integers. */
function sameStorage(type: arrow.DataType, values: ArrayBufferView): boolean {
  switch (type.typeId) {
    case Arrow.Type.Int: return values.constructor === (type as arrow.Int).ArrayType && (type as arrow.Int).bitWidth / 8 === (values as Int32Array).BYTES_PER_ELEMENT;
    case Arrow.Type.Float: return (type as arrow.Float).precision !== Arrow.Precision.HALF && values.constructor === (type as arrow.Float).ArrayType;
    case Arrow.Type.Date: return (type as arrow.Date_).unit === Arrow.DateUnit.DAY && values instanceof Int32Array;
    case Arrow.Type.Timestamp: {
      const ts = type as arrow.Timestamp;
      return values instanceof BigInt64Array && (!ts.timezone || ts.unit === Arrow.TimeUnit.MICROSECOND);
    }
    default: return false;
  }
}

function validityFill(data: arrow.Data): ((vector: duckdb.Vector, start: number, n: number) => void) | undefined {
  if (data.nullCount === 0 || !data.nullBitmap) return undefined;
  const bits = data.nullBitmap;
  const mask = new Uint8Array(CHUNK_ROWS / 8);
  return (vector, start, n) => {
    mask.fill(0);
    const base = data.offset + start;
    for (let j = 0; j < n; j++) {
      const b = base + j;
      if ((bits[b >> 3] >> (b & 7)) & 1) mask[j >> 3] |= 1 << (j & 7);
    }
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, Math.ceil(n / 64) * 8);
  };
}

function fixedFill(values: ArrayBufferView & { BYTES_PER_ELEMENT: number }): VectorFill {
  const width = values.BYTES_PER_ELEMENT;
  return (vector, start, n) => duckdb.copy_data_to_vector(vector, 0, values.buffer as ArrayBuffer, values.byteOffset + start * width, n * width);
}

function boolFill(data: arrow.Data): VectorFill {
  const bits = data.values as Uint8Array;
  const out = new Uint8Array(CHUNK_ROWS);
  return (vector, start, n) => {
    const base = data.offset + start;
    for (let j = 0; j < n; j++) {
      const b = base + j;
      out[j] = (bits[b >> 3] >> (b & 7)) & 1;
    }
    duckdb.copy_data_to_vector(vector, 0, out.buffer, 0, n);
  };
}

/** Writes string slots for rows `[0, n)`; `span(j)` gives the Arrow byte range of row `start + j` (or -1 for null). */
function stringFill(bytes: Uint8Array, from: (row: number) => number, to: (row: number) => number,
  isValid: (row: number) => boolean): VectorFill {
  const slots = new Uint8Array(CHUNK_ROWS * SLOT);
  const lengths = new Uint32Array(slots.buffer);
  const long: number[] = [];
  return (vector, start, n) => {
    slots.fill(0, 0, n * SLOT);
    long.length = 0;
    for (let j = 0; j < n; j++) {
      const row = start + j;
      if (!isValid(row)) continue;
      const s = from(row);
      const len = to(row) - s;
      if (len > INLINE_MAX) { long.push(j); continue; }
      lengths[j * 4] = len;
      const at = j * SLOT + 4;
      for (let k = 0; k < len; k++) slots[at + k] = bytes[s + k];
    }
    duckdb.copy_data_to_vector(vector, 0, slots.buffer, 0, n * SLOT);
    for (const j of long) {
      const row = start + j;
      duckdb.vector_assign_string_element_len(vector, j, bytes.subarray(from(row), to(row)));
    }
  };
}

function utf8Fill(data: arrow.Data): VectorFill | undefined {
  const offsets = data.valueOffsets;
  if (!(offsets instanceof Int32Array)) return undefined;
  const valid = rowValidity(data);
  return stringFill(data.values as Uint8Array, (r) => offsets[r], (r) => offsets[r + 1], valid);
}

function dictionaryFill(data: arrow.Data): VectorFill | undefined {
  const dictionary = data.dictionary;
  const dict = dictionary?.data.length === 1 ? dictionary.data[0] : undefined;
  const offsets = dict?.valueOffsets;
  if (!dict || !(offsets instanceof Int32Array) || dict.nullCount > 0) return undefined;
  const keys = data.values as ArrayLike<number | bigint>;
  const key = (r: number): number => Number(keys[r]);
  const valid = rowValidity(data);
  return stringFill(dict.values as Uint8Array, (r) => offsets[key(r)], (r) => offsets[key(r) + 1], valid);
}

function rowValidity(data: arrow.Data): (row: number) => boolean {
  if (data.nullCount === 0 || !data.nullBitmap) return () => true;
  const bits = data.nullBitmap;
  const off = data.offset;
  return (row) => ((bits[(off + row) >> 3] >> ((off + row) & 7)) & 1) === 1;
}

/** The byte-level filler of one Arrow column (values and validity), or undefined when it has none. @internal */
export function arrowVectorFill(data: arrow.Data): VectorFill | undefined {
  const type = data.type as arrow.DataType;
  let fill: VectorFill | undefined;
  if (Arrow.DataType.isBool(type)) fill = boolFill(data);
  else if (Arrow.DataType.isUtf8(type)) fill = utf8Fill(data);
  else if (Arrow.DataType.isDictionary(type)) fill = dictionaryFill(data);
  else if (data.values && sameStorage(type, data.values)) fill = fixedFill(data.values as Int32Array);
  if (!fill) return undefined;
  const values = fill;
  const validity = validityFill(data);
  return validity ? (vector, start, n) => { values(vector, start, n); validity(vector, start, n); } : values;
}

/** Fills column `column` of a chunk (whose row count is set) with rows `[start, start + n)` of one Arrow Data. @internal */
export type ColumnFill = (chunk: DuckDBDataChunk, column: number, start: number, n: number) => void;

/** The byte-level filler of a column, else the cell-by-cell one (a JS value per cell through node-api's vectors). @internal */
export function columnFill(data: arrow.Data): ColumnFill {
  const fast = arrowVectorFill(data);
  if (fast) return (chunk, c, start, n) => fast(duckdb.data_chunk_get_vector(chunk.chunk, c), start, n);
  const read = arrowCellReader(data);
  const hasNulls = data.nullCount > 0;
  return (chunk, c, start, n) => {
    const vector: DuckDBVector = chunk.getColumnVector(c);
    for (let j = 0; j < n; j++) vector.setItem(j, hasNulls && !data.getValid(start + j) ? null : read(start + j));
    vector.flush();
  };
}
