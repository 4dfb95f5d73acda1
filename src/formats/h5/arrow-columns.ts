import type { Vector, Table } from 'apache-arrow';
import { Arrow } from '../../util/arrow-lib';
import type { NumericArray } from './h5-dtype';

/** A decoded column and how to type it in Arrow. @internal */
export interface DecodedColumn {
  name: string;
  /**
   * The values: a typed array (numbers; `bool` 0/1; `datetime` int64 ns; `dictionary` codes;
   * `fixed-utf8` the packed bytes) or JS values (strings from a pickle).
   */
  values: NumericArray | unknown[];
  /**
   * `bool` (uint8 0/1), `datetime` (int64 ns since epoch, NaT → null), `fixed-utf8` (`width`-byte
   * NUL-padded UTF-8, numpy `S<n>`), `dictionary` (int codes into `categories`, -1 → null) or plain.
   */
  kind?: 'bool' | 'datetime' | 'fixed-utf8' | 'dictionary';
  /** `fixed-utf8`: bytes per value. */
  width?: number;
  /** `fixed-utf8`: the text pandas wrote for a missing string (`nan_rep`, e.g. `nan`) → null. */
  nanRep?: string;
  /** `dictionary`: the categories. */
  categories?: Vector;
}

/** Builds an Arrow vector from raw buffers, without per-row JS objects for typed data. @internal */
export function toVector(c: DecodedColumn): Vector {
  const v = c.values;
  if (c.kind === 'fixed-utf8' && v instanceof Uint8Array) return fixedUtf8Vector(v, c.width ?? 1, c.nanRep);
  if (c.kind === 'dictionary' && c.categories && ArrayBuffer.isView(v)) return dictionaryVector(v, c.categories);
  if (c.kind === 'bool') return boolVector(v);
  if (c.kind === 'datetime' && v instanceof BigInt64Array) return timestampVector(v);
  if (ArrayBuffer.isView(v)) return Arrow.makeVector(v as never);
  return utf8FromValues(v);
}

/** An Arrow table from decoded columns, in order (a repeated name gets a `_2` suffix). @internal */
export function columnsToTable(cols: readonly DecodedColumn[]): Table {
  const vectors: Record<string, Vector> = {};
  for (const c of cols) {
    let name = c.name;
    for (let i = 2; name in vectors; i++) name = `${c.name}_${i}`;
    vectors[name] = toVector(c);
  }
  return new Arrow.Table(vectors);
}

/** A validity bitmap with every bit set (Arrow: 1 = valid). */
const allValid = (n: number) => new Uint8Array((n + 7) >> 3).fill(0xff);

function boolVector(v: NumericArray | unknown[]): Vector {
  const n = v.length;
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (v[i]) bits[i >> 3] |= 1 << (i & 7);
  return Arrow.makeVector(Arrow.makeData({ type: new Arrow.Bool(), length: n, data: bits }));
}

/** int64 ns → TimestampNanosecond over the same buffer; NaT (int64 min) → null. */
function timestampVector(v: BigInt64Array): Vector {
  const n = v.length;
  const words = new Int32Array(v.buffer, v.byteOffset, n * 2);
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (words[2 * i + 1] !== -2147483648 || words[2 * i] !== 0) continue;
    bitmap ??= allValid(n);
    bitmap[i >> 3] &= ~(1 << (i & 7));
    nulls++;
  }
  return Arrow.makeVector(Arrow.makeData({ type: new Arrow.TimestampNanosecond(), length: n, data: v, nullBitmap: bitmap, nullCount: nulls }));
}

/**
 * numpy `S<width>` values (NUL-padded UTF-8, packed) → Utf8 offsets + data in one pass; values
 * equal to `nanRep` are null (pandas writes missing strings of a `table` as its `nan_rep`).
 */
function fixedUtf8Vector(bytes: Uint8Array, width: number, nanRep?: string): Vector {
  const n = Math.floor(bytes.length / Math.max(1, width));
  const offsets = new Int32Array(n + 1);
  const data = new Uint8Array(n * width);
  const nan = nanRep === undefined ? undefined : Buffer.from(nanRep, 'utf8');
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const s = i * width;
    let e = s + width;
    while (e > s && bytes[e - 1] === 0) e--;
    if (nan && e - s === nan.length && equalAt(bytes, s, nan)) {
      bitmap ??= allValid(n);
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    } else {
      for (let k = s; k < e; k++) data[d++] = bytes[k];
    }
    offsets[i + 1] = d;
  }
  return Arrow.makeVector(Arrow.makeData({ type: new Arrow.Utf8(), length: n, valueOffsets: offsets, data: data.subarray(0, d), nullBitmap: bitmap, nullCount: nulls }));
}

/**
 * JS values (strings from a pickle; anything else via `String`, null/undefined → null) → Utf8
 * offsets + data directly: each distinct string is UTF-8-encoded once (pandas object columns
 * repeat a few values), no Arrow builder per row.
 */
function utf8FromValues(v: readonly unknown[]): Vector {
  const n = v.length;
  const offsets = new Int32Array(n + 1);
  const encoded = new Array<Buffer | undefined>(n);
  const seen = new Map<string, Buffer>();
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined) {
      bitmap ??= allValid(n);
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    } else {
      const s = typeof x === 'string' ? x : String(x);
      let b = seen.get(s);
      if (!b) {
        b = Buffer.from(s, 'utf8');
        if (seen.size < 1 << 16) seen.set(s, b);
      }
      encoded[i] = b;
      total += b.length;
    }
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < n; i++) if (encoded[i]) data.set(encoded[i]!, offsets[i]);
  return Arrow.makeVector(Arrow.makeData({ type: new Arrow.Utf8(), length: n, valueOffsets: offsets, data, nullBitmap: bitmap, nullCount: nulls }));
}

const equalAt = (bytes: Uint8Array, s: number, what: Uint8Array): boolean => {
  for (let k = 0; k < what.length; k++) if (bytes[s + k] !== what[k]) return false;
  return true;
};

/**
 * pandas categorical codes (int8/16/32, -1 = missing) + categories → an Arrow dictionary vector
 * for string categories; numeric categories (and numeric MultiIndex levels) are expanded to plain
 * values, which every consumer (the DuckDB bridge included) reads.
 */
function dictionaryVector(codes: NumericArray, categories: Vector): Vector {
  if (!Arrow.DataType.isUtf8(categories.type)) return expandCodes(codes, categories);
  const n = codes.length;
  const idx = codes instanceof Int8Array ? new Arrow.Int8() : codes instanceof Int16Array ? new Arrow.Int16() : new Arrow.Int32();
  const data = codes instanceof Int8Array || codes instanceof Int16Array || codes instanceof Int32Array ? codes.slice() : Int32Array.from(codes as ArrayLike<number>, Number);
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (data[i] >= 0) continue;
    bitmap ??= allValid(n);
    bitmap[i >> 3] &= ~(1 << (i & 7));
    data[i] = 0;
    nulls++;
  }
  const type = new Arrow.Dictionary(categories.type, idx);
  return Arrow.makeVector(Arrow.makeData({ type, length: n, data: data as never, nullBitmap: bitmap, nullCount: nulls, dictionary: categories }));
}

/** `categories[codes[i]]` for numeric categories, moved as 32-bit words (no BigInt per cell); -1 → null. */
function expandCodes(codes: NumericArray, categories: Vector): Vector {
  const n = codes.length;
  const t = categories.type;
  if (!(Arrow.DataType.isInt(t) || Arrow.DataType.isFloat(t) || Arrow.DataType.isTimestamp(t)) || categories.data.length !== 1) {
    return Arrow.vectorFromArray(Array.from(codes as ArrayLike<number>, (c) => (Number(c) < 0 ? null : categories.get(Number(c)))), t);
  }
  const cats = categories.data[0].values as NumericArray;
  const Ctor = cats.constructor as new (n: number) => NumericArray;
  const out = new Ctor(n);
  const words = cats.BYTES_PER_ELEMENT >= 4 ? cats.BYTES_PER_ELEMENT / 4 : 0;
  const [src32, dst32] = words ? [new Int32Array(cats.buffer, cats.byteOffset, cats.length * words), new Int32Array(out.buffer)] : [];
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const c = Number(codes[i]);
    if (c < 0 || c >= cats.length) {
      bitmap ??= allValid(n);
      bitmap[i >> 3] &= ~(1 << (i & 7));
      nulls++;
    } else if (src32 && dst32) {
      for (let w = 0; w < words; w++) dst32[i * words + w] = src32[c * words + w];
    } else {
      out[i] = cats[c];
    }
  }
  return Arrow.makeVector(Arrow.makeData({ type: categories.type, length: n, data: out as never, nullBitmap: bitmap, nullCount: nulls }));
}
