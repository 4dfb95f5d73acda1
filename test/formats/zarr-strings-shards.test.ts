import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../src/errors';
import { encodeBytes } from '../../src/formats/zarr/zarr-codecs';
import { ZarrStore, zarrContentHash } from '../../src/formats/zarr/zarr-store';
import { encodeVlenUtf8 } from '../../src/formats/zarr/zarr-strings';
import { tempDir } from './format-fixtures';
import { writeZarrV2 } from './zarr-fixtures';

/** Committed python-zarr 2.13 store (see test/fixtures/formats/make_zarr_strings.py). */
const STRINGS_ZARR = join(__dirname, '..', 'fixtures', 'formats', 'zarr_strings.zarr');

/** The 5×6 float64 array of zarr-fixtures (value = row * 6 + col). */
const value = (r: number, c: number) => r * 6 + c;
const EXPECTED = Array.from({ length: 30 }, (_, i) => i);

/**
 * Writes the 5×6 array as a v3 store with `sharding_indexed`: shards of 4×6 holding inner chunks
 * of 2×3 (bytes + zstd), index of (offset, nbytes) little-endian uint64 pairs + a crc32c slot,
 * at the end (or start). Inner chunks listed in `empty` are left out (index entry 2^64-1).
 */
async function writeSharded(dir: string, opts: { indexAt?: 'start' | 'end'; empty?: string[]; fill?: number } = {}): Promise<string> {
  const [shape, shard, inner] = [[5, 6], [4, 6], [2, 3]];
  await fs.mkdir(join(dir, 'c'), { recursive: true });
  const zstd = { name: 'zstd', configuration: { level: 1, checksum: false } };
  await fs.writeFile(join(dir, 'zarr.json'), JSON.stringify({
    zarr_format: 3, node_type: 'array', shape, data_type: 'float64', fill_value: opts.fill ?? 0, attributes: { _ARRAY_DIMENSIONS: ['origin', 'destination'], units: 'min' },
    chunk_grid: { name: 'regular', configuration: { chunk_shape: shard } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    codecs: [{ name: 'sharding_indexed', configuration: {
      chunk_shape: inner, codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, zstd],
      index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }], index_location: opts.indexAt ?? 'end',
    } }],
  }));
  for (let s = 0; s < 2; s++) {
    const parts: Buffer[] = [];
    const index = Buffer.alloc(4 * 16 + 4);
    let offset = opts.indexAt === 'start' ? index.length : 0;
    for (let i = 0; i < 4; i++) {
      const [ir, ic] = [Math.floor(i / 2), i % 2];
      if (opts.empty?.includes(`${s}:${i}`)) {
        index.fill(0xff, i * 16, i * 16 + 16);
        continue;
      }
      const data = new Float64Array(6);
      for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) {
        const [r, c] = [s * 4 + ir * 2 + a, ic * 3 + b];
        data[a * 3 + b] = r < 5 ? value(r, c) : 0;
      }
      const enc = Buffer.from(await encodeBytes({ name: 'zstd', config: zstd.configuration }, new Uint8Array(data.buffer)));
      index.writeBigUInt64LE(BigInt(offset), i * 16);
      index.writeBigUInt64LE(BigInt(enc.length), i * 16 + 8);
      parts.push(enc);
      offset += enc.length;
    }
    const file = opts.indexAt === 'start' ? Buffer.concat([index, ...parts]) : Buffer.concat([...parts, index]);
    await fs.mkdir(join(dir, 'c', `${s}`), { recursive: true });
    await fs.writeFile(join(dir, 'c', `${s}`, '0'), file);
  }
  return dir;
}

describe('Zarr v3 sharding (sharding_indexed)', () => {
  test('a sharded store reads whole, by slice and with the index at the start; identity equals the unsharded v2 store', async () => {
    const dir = tempDir();
    const end = await ZarrStore.open(await writeSharded(join(dir, 'end.zarr')));
    expect(end.chunks).toEqual([2, 3]);
    expect(Array.from(await end.read() as Float64Array)).toEqual(EXPECTED);
    expect(Array.from(await end.read([[3, 5], [2, 4]]) as Float64Array)).toEqual([value(3, 2), value(3, 3), value(4, 2), value(4, 3)]);
    const start = await ZarrStore.open(await writeSharded(join(dir, 'start.zarr'), { indexAt: 'start' }));
    expect(Array.from(await start.read() as Float64Array)).toEqual(EXPECTED);
    const v2 = await writeZarrV2(join(dir, 'v2.zarr'));
    expect(await zarrContentHash(join(dir, 'end.zarr'))).toBe(await zarrContentHash(v2));
  });

  test('an empty inner chunk reads as the fill value; a missing shard file is FORMAT_CHUNK_MISSING; a cut shard is FORMAT_CORRUPT', async () => {
    const dir = tempDir();
    const holey = await ZarrStore.open(await writeSharded(join(dir, 'h.zarr'), { empty: ['0:3'], fill: -1 }));
    const all = await holey.read();
    expect(all[2 * 6 + 3]).toBe(-1);
    expect(all[3 * 6 + 5]).toBe(-1);
    expect(all[2 * 6 + 2]).toBe(value(2, 2));
    await fs.rm(join(dir, 'h.zarr', 'c', '1'), { recursive: true });
    const err = await holey.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toMatchObject({ code: 'FORMAT_CHUNK_MISSING', details: { place: 'c/1/0 (inner chunk 0)' } });
    const cut = join(await writeSharded(join(dir, 'cut.zarr')), 'c', '0', '0');
    await fs.writeFile(cut, (await fs.readFile(cut)).subarray(0, 20));
    await expect((await ZarrStore.open(join(dir, 'cut.zarr'))).read()).rejects.toMatchObject({ code: 'FORMAT_CORRUPT' });
  });
});

describe('Zarr string arrays', () => {
  test('python-zarr v2 strings: |O vlen-utf8 (blosc), <U3 (zlib, 2-D), |S4 — readStrings, slices, identity', async () => {
    const store = await ZarrStore.open(STRINGS_ZARR);
    expect(store.arrayPaths).toEqual(['codes', 'names', 'stops']);
    const names = store.array('names');
    expect(names.dtype).toBe('string');
    expect(await names.readStrings()).toEqual(['Main St', 'Gare du Nord', 'né', '', 'Z']);
    expect(await names.readStrings([[1, 3]])).toEqual(['Gare du Nord', 'né']);
    expect(await store.array('codes').readStrings()).toEqual(['a', 'bb', 'ccc', 'd', 'é', 'f']);
    expect(await store.array('codes').readStrings([[1, 2], [1, 3]])).toEqual(['é', 'f']);
    expect(await store.array('stops').readStrings()).toEqual(['S1', 'S22', 'S333']);
    await expect(names.read()).rejects.toMatchObject({ code: 'FORMAT_UNSUPPORTED_LAYOUT' });
    await expect(store.array('codes').read()).rejects.toMatchObject({ code: 'FORMAT_UNSUPPORTED_LAYOUT' });
    expect(await zarrContentHash(STRINGS_ZARR)).toMatch(/^zarr:[0-9a-f]{64}$/);
  });

  test('a v3 `string` array (vlen-utf8 + zstd) reads; an object array with another codec is FORMAT_CODEC_UNSUPPORTED', async () => {
    const dir = join(tempDir(), 's3.zarr');
    await fs.mkdir(join(dir, 'c'), { recursive: true });
    const zstd = { name: 'zstd', configuration: { level: 1, checksum: false } };
    await fs.writeFile(join(dir, 'zarr.json'), JSON.stringify({
      zarr_format: 3, node_type: 'array', shape: [3], data_type: 'string', fill_value: '', attributes: {},
      chunk_grid: { name: 'regular', configuration: { chunk_shape: [2] } }, chunk_key_encoding: { name: 'default' },
      codecs: [{ name: 'vlen-utf8' }, zstd],
    }));
    await fs.writeFile(join(dir, 'c', '0'), await encodeBytes({ name: 'zstd', config: zstd.configuration }, encodeVlenUtf8(['stop A', 'ä'])));
    await fs.writeFile(join(dir, 'c', '1'), await encodeBytes({ name: 'zstd', config: zstd.configuration }, encodeVlenUtf8(['last', ''])));
    expect(await (await ZarrStore.open(dir)).readStrings()).toEqual(['stop A', 'ä', 'last']);
    await fs.writeFile(join(dir, 'c', '1'), await encodeBytes({ name: 'zstd', config: zstd.configuration }, encodeVlenUtf8(['only one'])));
    await expect((await ZarrStore.open(dir)).readStrings()).rejects.toMatchObject({ code: 'FORMAT_CORRUPT' });

    const pickled = await writeZarrV2(join(tempDir(), 'p.zarr'));
    await fs.writeFile(join(pickled, '.zarray'), JSON.stringify({ zarr_format: 2, shape: [5, 6], chunks: [2, 4], dtype: '|O', compressor: null, fill_value: 0, order: 'C', filters: [{ id: 'pickle' }] }));
    await expect(ZarrStore.open(pickled)).rejects.toMatchObject({ code: 'FORMAT_CODEC_UNSUPPORTED' });
  });
});
