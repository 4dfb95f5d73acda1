import { FormatError } from '../../errors';
import type { ZarrStringEncoding } from './zarr-meta';

const utf8 = new TextDecoder('utf-8');
const utf32 = (b: Uint8Array, s: number, e: number): string => {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let out = '';
  for (let k = s; k + 4 <= e; k += 4) {
    const cp = v.getUint32(k, true);
    if (cp === 0) break;
    out += String.fromCodePoint(cp);
  }
  return out;
};

/**
 * Decodes one chunk of a string array: `vlen-utf8` (a uint32 count, then per value a uint32 byte
 * length and the UTF-8 bytes; numcodecs' VLenUTF8 and the v3 codec), numpy `<U<n>` (UTF-32LE,
 * NUL-padded) or `|S<n>` (NUL-padded bytes). @throws FormatError `FORMAT_CORRUPT`. @internal
 */
export function decodeStringChunk(bytes: Uint8Array, enc: ZarrStringEncoding, n: number, where: { file: string; place: string }): string[] {
  const bad = (why: string) => FormatError.corrupt(where.file, where.place, why);
  if (enc.encoding !== 'vlen-utf8') {
    if (bytes.byteLength !== n * enc.itemSize) throw bad(`chunk has ${bytes.byteLength} bytes, expected ${n * enc.itemSize}`);
    return Array.from({ length: n }, (_, i) => {
      const s = i * enc.itemSize;
      if (enc.encoding === 'utf-32') return utf32(bytes, s, s + enc.itemSize);
      let e = s + enc.itemSize;
      while (e > s && bytes[e - 1] === 0) e--;
      return utf8.decode(bytes.subarray(s, e));
    });
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4 || v.getUint32(0, true) !== n) throw bad(`a vlen-utf8 chunk that does not hold ${n} values`);
  const out = new Array<string>(n);
  let p = 4;
  for (let i = 0; i < n; i++) {
    if (p + 4 > bytes.byteLength) throw bad('a vlen-utf8 chunk cut short');
    const len = v.getUint32(p, true);
    if (p + 4 + len > bytes.byteLength) throw bad('a vlen-utf8 chunk cut short');
    out[i] = utf8.decode(bytes.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  return out;
}

/** Encodes strings as a `vlen-utf8` chunk (tests and writers). @internal */
export function encodeVlenUtf8(values: readonly string[]): Uint8Array {
  const parts = values.map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.alloc(4 + parts.reduce((a, b) => a + 4 + b.length, 0));
  out.writeUInt32LE(values.length, 0);
  let p = 4;
  for (const b of parts) {
    out.writeUInt32LE(b.length, p);
    b.copy(out, p + 4);
    p += 4 + b.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
