import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { FormatError, ZarrStore } from '../../src/index';
import { zarrContentHash } from '../../src/formats/zarr/zarr-store';
import { inspectZip } from '../../src/formats/gtfs/zip-extract';
import { tempDir } from './format-fixtures';
import { writeZarrV2, writeZarrV3 } from './zarr-fixtures';

const EXPECTED = Array.from({ length: 30 }, (_, i) => i);

describe('Zarr driver', () => {
  test.each([
    ['none', null],
    ['zlib', { id: 'zlib', level: 1 }],
    ['gzip', { id: 'gzip', level: 1 }],
    ['blosc lz4', { id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 1 }],
    ['blosc zstd', { id: 'blosc', cname: 'zstd', clevel: 3, shuffle: 2 }],
    ['lz4', { id: 'lz4', acceleration: 1 }],
    ['zstd', { id: 'zstd', level: 1 }],
  ])('v2 with %s reads whole and sliced', async (_name, codec) => {
    const store = await ZarrStore.open(await writeZarrV2(join(tempDir(), 's.zarr'), { codec }));
    expect([store.shape, store.dtype, store.chunks]).toEqual([[5, 6], 'float64', [2, 4]]);
    expect(Array.from(await store.read() as Float64Array)).toEqual(EXPECTED);
    expect(Array.from(await store.read([[4, 5], [3, 6]]) as Float64Array)).toEqual([27, 28, 29]);
  });

  test('v3 (bytes + zstd / gzip / none) reads the same values; identity equals the v2 store of the same data', async () => {
    const dir = tempDir();
    const v2 = await writeZarrV2(join(dir, 'v2.zarr'), { codec: { id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 1 } });
    for (const [i, codec] of [null, { name: 'zstd', configuration: { level: 1 } }, { name: 'gzip', configuration: { level: 1 } }].entries()) {
      const v3 = await writeZarrV3(join(dir, `v3_${i}.zarr`), codec);
      const store = await ZarrStore.open(v3);
      expect(Array.from(await store.read() as Float64Array)).toEqual(EXPECTED);
      expect(await zarrContentHash(v3)).toBe(await zarrContentHash(v2));
    }
    const other = await writeZarrV2(join(dir, 'other.zarr'));
    await fs.writeFile(join(other, '.zattrs'), JSON.stringify({ units: 'hours' }));
    expect(await zarrContentHash(other)).not.toBe(await zarrContentHash(v2));
  });

  test('a missing chunk is FORMAT_CHUNK_MISSING naming the chunk; an unknown codec is FORMAT_CODEC_UNSUPPORTED', async () => {
    const dir = tempDir();
    const holey = await ZarrStore.open(await writeZarrV2(join(dir, 'holey.zarr'), { skipChunk: '1.1' }));
    const err = await holey.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toMatchObject({ code: 'FORMAT_CHUNK_MISSING', details: { place: '1.1' } });
    expect(Array.from(await holey.read([[0, 2]]) as Float64Array)).toEqual(EXPECTED.slice(0, 12)); // untouched chunks still read
    expect((await holey.read([], { missingChunks: 'fill' }))[2 * 6 + 4]).toBe(0);
    const odd = await writeZarrV2(join(dir, 'odd.zarr'));
    await fs.writeFile(join(odd, '.zarray'), JSON.stringify({ zarr_format: 2, shape: [5, 6], chunks: [2, 4], dtype: '<f8', compressor: { id: 'bz2' }, fill_value: 0, order: 'C', filters: null }));
    await expect(ZarrStore.open(odd)).rejects.toMatchObject({ code: 'FORMAT_CODEC_UNSUPPORTED', details: { codec: 'bz2' } });
  });
});

describe('zip guards', () => {
  test('too many entries is ZIP_TOO_LARGE before anything is read', async () => {
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 300; i++) entries[`f${i}.txt`] = strToU8('x');
    const p = join(tempDir(), 'many.zip');
    await fs.writeFile(p, zipSync(entries));
    await expect(inspectZip(p, p, { maxEntries: 100 })).rejects.toMatchObject({ code: 'ZIP_TOO_LARGE', details: { place: '300 entries' } });
    const ok = await inspectZip(p, p);
    ok.zf.close();
    expect(ok.files).toHaveLength(300);
  });

  test('an absolute entry name is ZIP_UNSAFE_ENTRY; a corrupt zip is FORMAT_CORRUPT', async () => {
    const dir = tempDir();
    const p = join(dir, 'abs.zip');
    await fs.writeFile(p, zipSync({ '/etc/passwd': strToU8('x') }));
    await expect(inspectZip(p, p)).rejects.toMatchObject({ code: 'ZIP_UNSAFE_ENTRY' });
    const bad = join(dir, 'bad.zip');
    await fs.writeFile(bad, 'PK\x03\x04 not really a zip');
    await expect(inspectZip(bad, bad)).rejects.toMatchObject({ code: 'FORMAT_CORRUPT' });
  });
});
