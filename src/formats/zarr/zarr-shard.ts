import { promises as fs } from 'node:fs';
import { FormatError } from '../../errors';
import type { ZarrArrayMeta } from './zarr-meta';

/** `2^64 - 1` as (lo, hi) uint32 words: an empty inner chunk in a shard index. */
const EMPTY = 0xffffffff;

/** One shard file read whole: its bytes and index (offset, nbytes per inner chunk, C order). */
export interface ShardData {
  bytes: Uint8Array;
  index: DataView;
}

/**
 * Reads a v3 `sharding_indexed` shard file, or undefined when it is absent. The index is
 * `2 × 8` bytes per inner chunk (little-endian uint64 offset and length), plus a 4-byte crc32c
 * when the index codecs list one (not verified), at the end of the file (or the start).
 * @throws FormatError `FORMAT_CORRUPT` when the file is shorter than its index. @internal
 */
export async function readShard(file: string, meta: ZarrArrayMeta, where: { label: string; place: string }): Promise<ShardData | undefined> {
  const bytes = await fs.readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength), () => undefined);
  if (!bytes) return undefined;
  const inner = meta.shard!.shape.reduce((a, n, d) => a * Math.ceil(n / meta.chunks[d]), 1);
  const size = inner * 16 + (meta.shard!.indexChecksum ? 4 : 0);
  if (bytes.byteLength < size) throw FormatError.corrupt(where.label, where.place, `a shard of ${bytes.byteLength} bytes cannot hold its ${size}-byte index`);
  const at = meta.shard!.indexAtEnd ? bytes.byteLength - size : 0;
  return { bytes, index: new DataView(bytes.buffer, bytes.byteOffset + at, inner * 16) };
}

/** Inner chunk `i` (C order inside the shard) of a shard: its encoded bytes, or undefined when empty. @internal */
export function innerChunk(shard: ShardData, i: number, where: { label: string; place: string }): Uint8Array | undefined {
  const v = shard.index;
  const [offLo, offHi, lenLo, lenHi] = [v.getUint32(i * 16, true), v.getUint32(i * 16 + 4, true), v.getUint32(i * 16 + 8, true), v.getUint32(i * 16 + 12, true)];
  if (offLo === EMPTY && offHi === EMPTY && lenLo === EMPTY && lenHi === EMPTY) return undefined;
  const offset = offHi * 2 ** 32 + offLo;
  const length = lenHi * 2 ** 32 + lenLo;
  if (offset + length > shard.bytes.byteLength) throw FormatError.corrupt(where.label, where.place, `inner chunk ${i} lies outside the shard`);
  return shard.bytes.subarray(offset, offset + length);
}

/** Shard coordinates of an inner chunk and its C-order position inside that shard. @internal */
export function locateInner(coord: readonly number[], meta: ZarrArrayMeta): { shard: number[]; inner: number } {
  const per = meta.shard!.shape.map((n, d) => Math.ceil(n / meta.chunks[d]));
  const shard = coord.map((c, d) => Math.floor(c / per[d]));
  let inner = 0;
  coord.forEach((c, d) => { inner = inner * per[d] + (c - shard[d] * per[d]); });
  return { shard, inner };
}
