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
  const dt = String(m.dtype);
  const dtype = V2_DTYPES[dt.slice(1)];
  if (!dtype) throw FormatError.unsupportedLayout(label, `${path || '/'}/.zarray`, `dtype ${dt}`);
  if (m.order === 'F') throw FormatError.unsupportedLayout(label, `${path || '/'}/.zarray`, 'Fortran order');
  const codecs: CodecSpec[] = [];
  for (const f of (m.filters as Array<Record<string, unknown>> | null) ?? []) codecs.push({ name: String(f.id), config: f });
  const c = m.compressor as Record<string, unknown> | null;
  if (c) codecs.push({ name: String(c.id), config: c });
  for (const codec of codecs) if (!isSupportedCodec(codec.name)) throw FormatError.codecUnsupported(label, `${path || '/'}/.zarray`, codec.name);
  return {
    path, zarrFormat: 2, shape: m.shape as number[], chunks: m.chunks as number[], dtype, littleEndian: dt[0] !== '>',
    fillValue: m.fill_value, codecs, attributes, separator: String(m.dimension_separator ?? '.'), keyPrefix: '',
  };
}

function fromV3(m: Record<string, unknown>, path: string, label: string): ZarrArrayMeta {
  const place = `${path || '/'}/zarr.json`;
  const dtype = String(m.data_type);
  if (!Object.values(V2_DTYPES).includes(dtype)) throw FormatError.unsupportedLayout(label, place, `data_type ${dtype}`);
  const grid = m.chunk_grid as { name: string; configuration: { chunk_shape: number[] } };
  if (grid?.name !== 'regular') throw FormatError.unsupportedLayout(label, place, `chunk grid ${grid?.name}`);
  const keyEnc = (m.chunk_key_encoding as { name: string; configuration?: { separator?: string } } | undefined) ?? { name: 'default' };
  const sep = keyEnc.configuration?.separator ?? (keyEnc.name === 'v2' ? '.' : '/');
  let littleEndian = true;
  const codecs: CodecSpec[] = [];
  for (const c of (m.codecs as Array<{ name: string; configuration?: Record<string, unknown> }>) ?? []) {
    if (c.name === 'bytes') littleEndian = (c.configuration?.endian ?? 'little') === 'little';
    else if (isSupportedCodec(c.name)) codecs.push({ name: codecName(c.name), config: c.configuration ?? {} });
    else throw FormatError.codecUnsupported(label, place, c.name);
  }
  codecs.reverse(); // v3 lists codecs in encode order; decoding applies the bytes codecs last-first
  return {
    path, zarrFormat: 3, shape: m.shape as number[], chunks: grid.configuration.chunk_shape, dtype, littleEndian,
    fillValue: m.fill_value, codecs, attributes: (m.attributes as Record<string, unknown>) ?? {}, separator: sep,
    keyPrefix: keyEnc.name === 'v2' ? '' : `c${sep}`,
  };
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
