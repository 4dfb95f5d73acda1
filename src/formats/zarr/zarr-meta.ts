import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { FormatError } from '../../errors';
import { codecName, isSupportedCodec, type CodecSpec } from './zarr-codecs';

/** One Zarr array's metadata, v2 and v3 normalised. */
export interface ZarrArrayMeta {
  /** Path inside the store (`''` for a store that is one array, else `skims/time`). */
  path: string;
  zarrFormat: 2 | 3;
  shape: number[];
  chunks: number[];
  /** numpy-style name: float64, int32, uint8, bool… */
  dtype: string;
  littleEndian: boolean;
  fillValue: unknown;
  codecs: CodecSpec[];
  attributes: Record<string, unknown>;
  /** Chunk key of chunk coordinates (`0.1`, `c/0/1`…). */
  separator: string;
  keyPrefix: string;
  /** String arrays (`dtype` `string`): how a chunk's values are encoded. */
  strings?: ZarrStringEncoding;
  /**
   * v3 `sharding_indexed`: `chunks` are then the inner chunks, stored inside shard files of
   * `shape` (chunk_grid) with an index of (offset, nbytes) uint64 pairs at the start or end.
   */
  shard?: { shape: number[]; indexAtEnd: boolean; indexChecksum: boolean };
}

/** `vlen-utf8` (v2 `|O` + filter, v3 `string`), numpy `<U<n>` (UTF-32LE) or `|S<n>` (bytes). */
export interface ZarrStringEncoding {
  encoding: 'vlen-utf8' | 'utf-32' | 'bytes';
  /** Bytes per value of the fixed-width encodings. */
  itemSize: number;
}

const V2_DTYPES: Record<string, string> = {
  f8: 'float64', f4: 'float32', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u8: 'uint64', u4: 'uint32', u2: 'uint16', u1: 'uint8', b1: 'bool',
};

const readJson = async (file: string, label: string): Promise<Record<string, unknown> | undefined> => {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw FormatError.corrupt(label, nodePath.basename(file), err);
  }
};

/** Metadata of the array at `rel` of the store at `root`, or undefined when it is not an array. @internal */
export async function readArrayMeta(root: string, rel: string, label: string): Promise<ZarrArrayMeta | undefined> {
  const dir = nodePath.join(root, rel);
  const v3 = await readJson(nodePath.join(dir, 'zarr.json'), label);
  if (v3) return v3.node_type === 'array' ? fromV3(v3, rel, label) : undefined;
  const v2 = await readJson(nodePath.join(dir, '.zarray'), label);
  if (!v2) return undefined;
  const attrs = (await readJson(nodePath.join(dir, '.zattrs'), label)) ?? {};
  return fromV2(v2, attrs, rel, label);
}

function fromV2(m: Record<string, unknown>, attributes: Record<string, unknown>, path: string, label: string): ZarrArrayMeta {
  const place = `${path || '/'}/.zarray`;
  const dt = String(m.dtype);
  const filters = ((m.filters as Array<Record<string, unknown>> | null) ?? []).map((f) => ({ name: String(f.id), config: f }));
  const strings = v2Strings(dt, filters, label, place);
  const dtype = strings ? 'string' : V2_DTYPES[dt.slice(1)];
  if (!dtype) throw FormatError.unsupportedLayout(label, place, `dtype ${dt}`);
  if (m.order === 'F') throw FormatError.unsupportedLayout(label, place, 'Fortran order');
  const c = m.compressor as Record<string, unknown> | null;
  // v2 encodes filters then the compressor: decoding runs the compressor first, then the filters backwards
  const codecs: CodecSpec[] = [...(c ? [{ name: String(c.id), config: c }] : []), ...filters.filter((f) => f.name !== 'vlen-utf8').reverse()];
  for (const codec of codecs) if (!isSupportedCodec(codec.name)) throw FormatError.codecUnsupported(label, place, codec.name);
  return {
    path, zarrFormat: 2, shape: m.shape as number[], chunks: m.chunks as number[], dtype, littleEndian: dt[0] !== '>',
    fillValue: m.fill_value, codecs, attributes, separator: String(m.dimension_separator ?? '.'), keyPrefix: '', strings,
  };
}

/** String dtypes of v2: `|O` with the `vlen-utf8` object codec, `<U<n>`, `|S<n>`; other object codecs are refused. */
function v2Strings(dt: string, filters: CodecSpec[], label: string, place: string): ZarrStringEncoding | undefined {
  const fixed = /^[<>|]([US])(\d+)$/.exec(dt);
  if (fixed) {
    if (dt[0] === '>' && fixed[1] === 'U') throw FormatError.unsupportedLayout(label, place, `big-endian dtype ${dt}`);
    return fixed[1] === 'U' ? { encoding: 'utf-32', itemSize: 4 * Number(fixed[2]) } : { encoding: 'bytes', itemSize: Number(fixed[2]) };
  }
  if (dt !== '|O') return undefined;
  if (filters.some((f) => f.name === 'vlen-utf8')) return { encoding: 'vlen-utf8', itemSize: 0 };
  throw FormatError.codecUnsupported(label, place, `object dtype with ${filters.map((f) => f.name).join(', ') || 'no object codec'} (only vlen-utf8 strings are read)`);
}

function fromV3(m: Record<string, unknown>, path: string, label: string): ZarrArrayMeta {
  const place = `${path || '/'}/zarr.json`;
  const dtype = String(m.data_type);
  const isString = dtype === 'string' || dtype === 'str';
  if (!isString && !Object.values(V2_DTYPES).includes(dtype)) throw FormatError.unsupportedLayout(label, place, `data_type ${dtype}`);
  const grid = m.chunk_grid as { name: string; configuration: { chunk_shape: number[] } };
  if (grid?.name !== 'regular') throw FormatError.unsupportedLayout(label, place, `chunk grid ${grid?.name}`);
  const keyEnc = (m.chunk_key_encoding as { name: string; configuration?: { separator?: string } } | undefined) ?? { name: 'default' };
  const sep = keyEnc.configuration?.separator ?? (keyEnc.name === 'v2' ? '.' : '/');
  const chain = v3Codecs((m.codecs as V3Codec[]) ?? [], label, place);
  if (isString !== Boolean(chain.strings)) throw FormatError.unsupportedLayout(label, place, `data_type ${dtype} with ${isString ? 'no vlen-utf8 codec' : 'the vlen-utf8 codec'}`);
  return {
    path, zarrFormat: 3, shape: m.shape as number[], chunks: chain.shard ? chain.innerChunks! : grid.configuration.chunk_shape,
    dtype: isString ? 'string' : dtype, littleEndian: chain.littleEndian, fillValue: m.fill_value, codecs: chain.codecs,
    attributes: (m.attributes as Record<string, unknown>) ?? {}, separator: sep, keyPrefix: keyEnc.name === 'v2' ? '' : `c${sep}`,
    strings: chain.strings, shard: chain.shard && { ...chain.shard, shape: grid.configuration.chunk_shape },
  };
}

/** One entry of a v3 `codecs` list. */
interface V3Codec { name: string; configuration?: Record<string, unknown> }

/** A v3 codec chain, normalised: decode order, endianness, string encoding, sharding. */
interface V3Chain {
  codecs: CodecSpec[];
  littleEndian: boolean;
  strings?: ZarrStringEncoding;
  shard?: { indexAtEnd: boolean; indexChecksum: boolean };
  innerChunks?: number[];
}

function v3Codecs(list: readonly V3Codec[], label: string, place: string): V3Chain {
  const chain: V3Chain = { codecs: [], littleEndian: true };
  for (const c of list) {
    if (c.name === 'bytes') chain.littleEndian = (c.configuration?.endian ?? 'little') === 'little';
    else if (c.name === 'vlen-utf8') chain.strings = { encoding: 'vlen-utf8', itemSize: 0 };
    else if (c.name === 'sharding_indexed' && list.length === 1) {
      const cfg = c.configuration ?? {};
      const inner = v3Codecs((cfg.codecs as V3Codec[]) ?? [], label, `${place} sharding codecs`);
      const index = (cfg.index_codecs as V3Codec[] | undefined) ?? [{ name: 'bytes' }, { name: 'crc32c' }];
      if (index.some((x) => x.name !== 'bytes' && x.name !== 'crc32c') || index.some((x) => x.name === 'bytes' && (x.configuration?.endian ?? 'little') !== 'little')) {
        throw FormatError.unsupportedLayout(label, place, `shard index codecs ${index.map((x) => x.name).join(', ')}`);
      }
      return { ...inner, innerChunks: cfg.chunk_shape as number[], shard: { indexAtEnd: cfg.index_location !== 'start', indexChecksum: index.some((x) => x.name === 'crc32c') } };
    } else if (isSupportedCodec(c.name)) chain.codecs.push({ name: codecName(c.name), config: c.configuration ?? {} });
    else throw FormatError.codecUnsupported(label, place, c.name === 'sharding_indexed' ? 'sharding_indexed followed by other codecs' : c.name);
  }
  chain.codecs.reverse(); // v3 lists codecs in encode order; decoding applies the bytes codecs last-first
  return chain;
}

/** Every array of the store at `root` (itself, or nested groups), sorted by path. @internal */
export async function listArrays(root: string, label: string, rel = '', depth = 0): Promise<ZarrArrayMeta[]> {
  const self = await readArrayMeta(root, rel, label);
  if (self) return [self];
  if (depth > 16) return [];
  const entries = await fs.readdir(nodePath.join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: ZarrArrayMeta[] = [];
  for (const e of entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    out.push(...(await listArrays(root, label, rel ? `${rel}/${e.name}` : e.name, depth + 1)));
  }
  return out;
}

/** True when `dir` looks like a Zarr store (v2 `.zgroup`/`.zarray`, v3 `zarr.json`). @internal */
export async function isZarrStore(dir: string): Promise<boolean> {
  for (const f of ['zarr.json', '.zgroup', '.zarray', '.zmetadata']) {
    if (await fs.stat(nodePath.join(dir, f)).then(() => true, () => false)) return true;
  }
  return false;
}
