import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { FormatError } from '../../errors';
import type { NumericArray } from '../h5/h5-dtype';
import { decodeBytes } from './zarr-codecs';
import { innerChunk, locateInner, readShard, type ShardData } from './zarr-shard';
import { decodeStringChunk } from './zarr-strings';
import type { ZarrArrayMeta } from './zarr-meta';

type Ctor = { new (n: number): NumericArray; new (b: ArrayBufferLike, o: number, n: number): NumericArray; BYTES_PER_ELEMENT: number };
const CTORS: Record<string, Ctor> = {
  float64: Float64Array, float32: Float32Array, int64: BigInt64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array,
  uint64: BigUint64Array, uint32: Uint32Array, uint16: Uint16Array, uint8: Uint8Array, bool: Uint8Array,
};

/** Decoded values: numbers, or strings for a string array. */
type Values = NumericArray | string[];

/** A selection: one `[start, end)` range (or null = all) per dimension. */
export type ZarrSlice = ReadonlyArray<readonly [number, number] | null>;

/** Options of {@link ZarrArray.read}. */
export interface ZarrReadOptions {
  /** A missing chunk file: `'error'` (default, `FORMAT_CHUNK_MISSING`) or `'fill'` with the fill value. */
  missingChunks?: 'error' | 'fill';
}

/** One Zarr array (v2 or v3): shape, dtype, chunks, attributes, and `read(slice?)` chunk by chunk. */
export class ZarrArray {
  /** The shard file read last (inner chunks of one shard are read one after another). */
  private lastShard?: { key: string; data: ShardData | undefined };

  constructor(private readonly root: string, readonly meta: ZarrArrayMeta, private readonly label: string) {}

  get path(): string { return this.meta.path; }
  get shape(): number[] { return this.meta.shape; }
  get dtype(): string { return this.meta.dtype; }
  get chunks(): number[] { return this.meta.chunks; }
  get attributes(): Record<string, unknown> { return this.meta.attributes; }

  /**
   * The selected values, row-major, as a typed array of the dtype (`bool` → Uint8Array). Only the
   * chunks that intersect the selection are read and decoded.
   * @throws FormatError `FORMAT_CHUNK_MISSING`, `FORMAT_CORRUPT`, `FORMAT_CODEC_UNSUPPORTED`,
   * `FORMAT_UNSUPPORTED_LAYOUT` (a string array: use {@link readStrings}).
   */
  async read(slice: ZarrSlice = [], options: ZarrReadOptions = {}): Promise<NumericArray> {
    const Ctor = CTORS[this.meta.dtype];
    if (!Ctor) throw FormatError.unsupportedLayout(this.label, this.meta.path || '/', `read() of a ${this.meta.dtype} array (use readStrings())`);
    return this.readInto(slice, options, (n) => new Ctor(n)) as Promise<NumericArray>;
  }

  /**
   * The selected values of a string array (v2 `|O` vlen-utf8, `<U<n>`, `|S<n>`; v3 `string`),
   * row-major. @throws FormatError as {@link read}; `FORMAT_UNSUPPORTED_LAYOUT` for a numeric array.
   */
  async readStrings(slice: ZarrSlice = [], options: ZarrReadOptions = {}): Promise<string[]> {
    if (!this.meta.strings) throw FormatError.unsupportedLayout(this.label, this.meta.path || '/', `readStrings() of a ${this.meta.dtype} array (use read())`);
    return this.readInto(slice, options, (n) => new Array<string>(n).fill('')) as Promise<string[]>;
  }

  private async readInto(slice: ZarrSlice, options: ZarrReadOptions, make: (n: number) => Values): Promise<Values> {
    const { shape, chunks } = this.meta;
    const sel = shape.map((n, d) => {
      const s = slice[d] ?? [0, n];
      if (!(s[0] >= 0 && s[1] <= n && s[0] <= s[1])) throw FormatError.memberNotFound(this.label, `${this.meta.path || '/'}[${d}] ${s[0]}:${s[1]}`, [`0:${n}`]);
      return s;
    });
    const outShape = sel.map(([a, b]) => b - a);
    const out = make(outShape.reduce((a, b) => a * b, 1));
    if (out.length === 0) return out;
    const first = sel.map(([a], d) => Math.floor(a / chunks[d]));
    const last = sel.map(([, b], d) => Math.floor((b - 1) / chunks[d]));
    for (const coord of odometer(first, last)) {
      const chunk = await this.chunk(coord, options);
      copyOverlap({ chunk, coord, chunks, sel, out, outShape });
    }
    return out;
  }

  /** Chunk `coord`'s encoded bytes (an inner chunk of a shard when sharded; undefined when absent) and its name in errors. */
  private async encodedChunk(coord: number[]): Promise<{ bytes?: Uint8Array; place: string }> {
    const keyOf = (c: number[]) => (c.length ? `${this.meta.keyPrefix}${c.join(this.meta.separator)}` : this.meta.zarrFormat === 3 ? 'c' : '0');
    const fileOf = (key: string) => nodePath.join(this.root, this.meta.path, ...key.split('/'));
    const named = (key: string) => (this.meta.path ? `${this.meta.path}/${key}` : key);
    if (!this.meta.shard) {
      const key = keyOf(coord);
      return { bytes: await fs.readFile(fileOf(key)).catch(() => undefined), place: named(key) };
    }
    const { shard, inner } = locateInner(coord, this.meta);
    const key = keyOf(shard);
    const place = `${named(key)} (inner chunk ${inner})`;
    if (this.lastShard?.key !== key) this.lastShard = { key, data: await readShard(fileOf(key), this.meta, { label: this.label, place }) };
    return { bytes: this.lastShard.data && innerChunk(this.lastShard.data, inner, { label: this.label, place }), place };
  }

  private async chunk(coord: number[], options: ZarrReadOptions): Promise<Values> {
    const n = this.meta.chunks.reduce((a, b) => a * b, 1);
    const found = await this.encodedChunk(coord);
    const place = found.place;
    let bytes = found.bytes;
    if (!bytes) {
      const emptyInShard = this.meta.shard && this.lastShard?.data; // an empty inner chunk of a present shard is fill by design
      if (!emptyInShard && options.missingChunks !== 'fill') throw FormatError.chunkMissing(this.label, place);
      const Ctor = CTORS[this.meta.dtype];
      return Ctor ? new Ctor(n).fill((this.meta.fillValue ?? 0) as never) as NumericArray : new Array<string>(n).fill(String(this.meta.fillValue ?? ''));
    }
    try {
      for (const codec of this.meta.codecs) bytes = await decodeBytes(codec, bytes, this.label, place);
    } catch (err) {
      if (err instanceof FormatError) throw err;
      throw FormatError.corrupt(this.label, place, err);
    }
    if (this.meta.strings) return decodeStringChunk(bytes, this.meta.strings, n, { file: this.label, place });
    const Ctor = CTORS[this.meta.dtype];
    if (bytes.byteLength !== n * Ctor.BYTES_PER_ELEMENT) {
      throw FormatError.corrupt(this.label, place, `chunk has ${bytes.byteLength} bytes, expected ${n * Ctor.BYTES_PER_ELEMENT}`);
    }
    const copy = new Uint8Array(bytes); // aligned, owned copy
    if (!this.meta.littleEndian && Ctor.BYTES_PER_ELEMENT > 1) swapBytes(copy, Ctor.BYTES_PER_ELEMENT);
    return new Ctor(copy.buffer, 0, n);
  }
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) b.subarray(i, i + size).reverse();
}

/** Every coordinate vector between `lo` and `hi` (inclusive), last dimension fastest. */
function* odometer(lo: number[], hi: number[]): Generator<number[]> {
  const c = [...lo];
  if (c.length === 0) { yield []; return; }
  for (;;) {
    yield [...c];
    let d = c.length - 1;
    while (d >= 0 && c[d] === hi[d]) { c[d] = lo[d]; d--; }
    if (d < 0) return;
    c[d]++;
  }
}

const strides = (shape: readonly number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

/** Copies the part of one decoded chunk inside the selection into `out`, a last-dimension run at a time. */
function copyOverlap(a: { chunk: Values; coord: number[]; chunks: number[]; sel: Array<readonly [number, number]>; out: Values; outShape: number[] }): void {
  const nd = a.coord.length;
  if (nd === 0) { copyRun(a.out, a.chunk, { from: 0, to: 0, len: 1 }); return; }
  const lo = a.coord.map((c, d) => Math.max(a.sel[d][0], c * a.chunks[d]));
  const hi = a.coord.map((c, d) => Math.min(a.sel[d][1], (c + 1) * a.chunks[d]) - 1);
  const cs = strides(a.chunks);
  const os = strides(a.outShape);
  const runLo = lo.slice(0, -1);
  const runHi = hi.slice(0, -1);
  const len = hi[nd - 1] - lo[nd - 1] + 1;
  for (const lead of odometer(runLo, runHi)) {
    const g = [...lead, lo[nd - 1]];
    let ci = 0;
    let oi = 0;
    for (let d = 0; d < nd; d++) {
      ci += (g[d] - a.coord[d] * a.chunks[d]) * cs[d];
      oi += (g[d] - a.sel[d][0]) * os[d];
    }
    copyRun(a.out, a.chunk, { from: ci, to: oi, len });
  }
}

/** Copies `len` values from `chunk[from…]` to `out[to…]` (typed arrays natively, strings one by one). */
function copyRun(out: Values, chunk: Values, r: { from: number; to: number; len: number }): void {
  if (ArrayBuffer.isView(out) && ArrayBuffer.isView(chunk)) {
    out.set(chunk.subarray(r.from, r.from + r.len) as never, r.to);
    return;
  }
  for (let k = 0; k < r.len; k++) (out as unknown[])[r.to + k] = (chunk as unknown[])[r.from + k];
}
