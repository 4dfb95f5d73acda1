import type { CompoundMember, Dataset, Metadata } from 'h5wasm';
import { FormatError } from '../../errors';
import { H5T, numericCtor, rowsPerSlice, type NumericArray } from './h5-dtype';
import { h5lib } from './h5-lib';

/**
 * Reads rows `[r0, r1)` of a dataset as its raw bytes (no per-row JS objects): the fast path for
 * pandas `table` compounds (h5wasm's `.value` builds nested arrays, ~20× slower). Non-vlen types
 * only. @internal
 */
export async function readRawRows(ds: Dataset, label: string, r0: number, r1: number): Promise<Uint8Array> {
  const { Module } = await h5lib();
  const meta = ds.metadata;
  if (meta.vlen) throw FormatError.unsupportedLayout(label, ds.path, 'raw reads of variable-length data');
  const shape = meta.shape ?? [];
  const rest = shape.slice(1);
  const rowBytes = meta.size * rest.reduce((a, b) => a * b, 1);
  const nbytes = (r1 - r0) * rowBytes;
  if (nbytes === 0) return new Uint8Array(0);
  const ptr = Module._malloc(nbytes);
  if (!ptr) throw FormatError.unsupportedLayout(label, ds.path, `a ${nbytes}-byte slice (wasm heap exhausted)`);
  try {
    const count = [BigInt(r1 - r0), ...rest.map(BigInt)];
    const offset = [BigInt(r0), ...rest.map(() => 0n)];
    const strides = count.map(() => 1n);
    Module.get_dataset_data(ds.file_id, ds.path, count, offset, strides, BigInt(ptr));
    return Module.HEAPU8.slice(ptr, ptr + nbytes);
  } catch (err) {
    throw FormatError.corrupt(label, `${ds.path} rows [${r0}, ${r1})`, err);
  } finally {
    Module._free(ptr);
  }
}

/** Reads every row of a dataset in slices of at most 256 MiB, concatenated. @internal */
export async function readAllRaw(ds: Dataset, label: string): Promise<Uint8Array> {
  const meta = ds.metadata;
  const shape = meta.shape ?? [];
  const nrows = shape[0] ?? 1;
  const rowBytes = meta.size * shape.slice(1).reduce((a, b) => a * b, 1);
  const step = rowsPerSlice(rowBytes);
  if (nrows <= step) return readRawRows(ds, label, 0, nrows);
  const out = new Uint8Array(nrows * rowBytes);
  for (let r = 0; r < nrows; r += step) out.set(await readRawRows(ds, label, r, Math.min(nrows, r + step)), r * rowBytes);
  return out;
}

/** One decoded column of a compound: numbers (typed array) or fixed-width strings. @internal */
export type RawColumn = NumericArray | string[];

/** Raw compound records: `nrows` records of `recordSize` bytes each, packed in `raw`. @internal */
export interface RawRecords {
  raw: Uint8Array;
  nrows: number;
  recordSize: number;
}

/**
 * Decodes column `sub` of compound member `m` (an array member has `k` sub-columns) from `records`
 * with strided typed-array views where aligned. @internal
 */
export function decodeMember(records: RawRecords, m: CompoundMember, sub = 0): RawColumn {
  const { nrows } = records;
  const base: Metadata = m.type === H5T.ARRAY && m.array_type ? m.array_type : m;
  const off = m.offset + sub * base.size;
  if (base.type === H5T.STRING) return decodeStrings(records, off, base.size);
  const Ctor = numericCtor(base);
  if (!Ctor) return Array.from({ length: nrows }, () => `(${base.type})`);
  const el = Ctor.BYTES_PER_ELEMENT;
  return new Ctor(copyStrided(records, off, el).buffer, 0, nrows);
}

type WordArray = Int32Array | Int16Array | Uint8Array;
const WORDS: Record<number, new (b: ArrayBufferLike, o: number, n: number) => WordArray> = { 4: Int32Array, 2: Int16Array, 1: Uint8Array };

/**
 * Gathers the `el`-byte field at `off` of each record into a packed buffer, moving
 * 32-bit (or narrower) words through integer views: no BigInt or float is materialised per cell (a
 * BigInt64Array element copy allocates; a float copy might canonicalise NaN bits).
 */
function copyStrided({ raw, nrows, recordSize }: RawRecords, off: number, el: number): Uint8Array {
  const out = new Uint8Array(nrows * el);
  const word = el % 4 === 0 ? 4 : el % 2 === 0 ? 2 : 1;
  const aligned = (raw.byteOffset + off) % word === 0 && recordSize % word === 0 && raw.byteOffset % word === 0;
  if (!aligned) {
    for (let i = 0; i < nrows; i++) out.set(raw.subarray(i * recordSize + off, i * recordSize + off + el), i * el);
    return out;
  }
  const W = WORDS[word];
  const src = new W(raw.buffer, raw.byteOffset, Math.floor(raw.byteLength / word));
  const dst = new W(out.buffer, 0, (nrows * el) / word);
  const per = el / word;
  const stride = recordSize / word;
  const start = off / word;
  if (per === 1) {
    for (let i = 0; i < nrows; i++) dst[i] = src[start + i * stride];
  } else {
    for (let i = 0, d = 0; i < nrows; i++) {
      const b = start + i * stride;
      for (let w = 0; w < per; w++) dst[d++] = src[b + w];
    }
  }
  return out;
}

const latin = new TextDecoder('utf-8');

/** Fixed-width, NUL-padded strings (numpy `S<n>`) at `off` of each record. */
function decodeStrings({ raw, nrows, recordSize }: RawRecords, off: number, size: number): string[] {
  const out = new Array<string>(nrows);
  for (let i = 0; i < nrows; i++) {
    const s = i * recordSize + off;
    let e = s + size;
    while (e > s && raw[e - 1] === 0) e--;
    out[i] = latin.decode(raw.subarray(s, e));
  }
  return out;
}
