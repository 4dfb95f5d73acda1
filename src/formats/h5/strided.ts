/**
 * Strided gathers: one field of fixed-size records (a compound member) into a packed column,
 * moving 32-bit, 16-bit or 8-bit words through integer views. One monomorphic loop per word size
 * (V8 keeps each one fast), no BigInt or float per cell (a BigInt64Array element copy allocates; a
 * float copy could canonicalise NaN bits).
 */

/** Where one field sits in `rows` packed records, and where its packed copy goes. @internal */
export interface StridedCopy {
  /** The records (e.g. a view of the wasm heap). */
  src: Uint8Array;
  recordSize: number;
  /** Byte offset of the field inside a record. */
  offset: number;
  /** Field width in bytes. */
  width: number;
  rows: number;
  /** Packed output (`width` bytes per row) and the row it starts at. */
  dst: Uint8Array;
  dstRow: number;
}

/** Copies the field of every record into `dst` at `dstRow`. @internal */
export function gatherField(c: StridedCopy): void {
  const word = wordSize(c);
  if (word === 4) {
    gather32(view32(c.src), view32(c.dst), plan(c, 4));
  } else if (word === 2) {
    gather16(view16(c.src), view16(c.dst), plan(c, 2));
  } else {
    gather8(c.src, c.dst, plan(c, 1));
  }
}

/** Loop bounds in words: source start, record stride, words per field, destination start, rows. */
interface Plan { start: number; stride: number; per: number; dst: number; rows: number }

const plan = (c: StridedCopy, w: number): Plan => ({
  start: c.offset / w, stride: c.recordSize / w, per: c.width / w, dst: (c.dstRow * c.width) / w, rows: c.rows,
});

function wordSize(c: StridedCopy): 1 | 2 | 4 {
  for (const w of [4, 2] as const) {
    if (c.width % w === 0 && c.offset % w === 0 && c.recordSize % w === 0 && c.src.byteOffset % w === 0 && c.dst.byteOffset % w === 0) return w;
  }
  return 1;
}

const view32 = (b: Uint8Array) => new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
const view16 = (b: Uint8Array) => new Int16Array(b.buffer, b.byteOffset, b.byteLength >> 1);

function gather32(src: Int32Array, dst: Int32Array, p: Plan): void {
  const { stride, per, rows } = p;
  let s = p.start;
  let d = p.dst;
  if (per === 1) {
    for (let i = 0; i < rows; i++, s += stride) dst[d++] = src[s];
  } else if (per === 2) {
    for (let i = 0; i < rows; i++, s += stride) {
      dst[d++] = src[s];
      dst[d++] = src[s + 1];
    }
  } else {
    for (let i = 0; i < rows; i++, s += stride) for (let w = 0; w < per; w++) dst[d++] = src[s + w];
  }
}

function gather16(src: Int16Array, dst: Int16Array, p: Plan): void {
  const { stride, per, rows } = p;
  let s = p.start;
  let d = p.dst;
  for (let i = 0; i < rows; i++, s += stride) for (let w = 0; w < per; w++) dst[d++] = src[s + w];
}

function gather8(src: Uint8Array, dst: Uint8Array, p: Plan): void {
  const { stride, per, rows } = p;
  let s = p.start;
  let d = p.dst;
  if (per > 32) {
    for (let i = 0; i < rows; i++, s += stride, d += per) dst.set(src.subarray(s, s + per), d);
    return;
  }
  for (let i = 0; i < rows; i++, s += stride) for (let w = 0; w < per; w++) dst[d++] = src[s + w];
}
