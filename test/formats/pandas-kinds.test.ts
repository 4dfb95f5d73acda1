import { join } from 'node:path';
import { type Table, Type } from 'apache-arrow';
import { FormatError } from '../../src/errors';
import { hdf5ContentHash } from '../../src/formats/h5/h5-identity';
import { H5Store } from '../../src/formats/h5/h5-store';
import { writePandasTable } from '../../src/formats/h5/pandas-write';
import { tempDir } from './format-fixtures';

/** Committed PyTables-written stores (see test/fixtures/formats/make_pandas_kinds.py). */
const KINDS_H5 = join(__dirname, '..', 'fixtures', 'formats', 'pandas_kinds.h5');
const BLOSC_H5 = join(__dirname, '..', 'fixtures', 'formats', 'pandas_blosc.h5');

const column = (t: Table, name: string): unknown[] => [...t.getChild(name)!].map((v) => (typeof v === 'bigint' ? Number(v) : v));
const typeOf = (t: Table, name: string) => t.schema.fields.find((f) => f.name === name)!.type;

async function withStore<T>(path: string, fn: (s: H5Store) => Promise<T>): Promise<T> {
  const store = await H5Store.open(path);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

describe('pandas HDF5 stores: every column kind (PyTables-written fixtures)', () => {
  test('categoricals in a table store come back as Arrow dictionary columns (missing → null; numeric categories too)', async () => {
    await withStore(KINDS_H5, async (store) => {
      const t = await store.table('cats');
      expect(t.schema.fields.map((f) => f.name)).toEqual(['index', 'zone', 'mode', 'size', 'name', 'when', 'flag', 'v']);
      expect(typeOf(t, 'zone').typeId).toBe(Type.Dictionary);
      expect(column(t, 'zone')).toEqual(['a', 'b', 'a', 'c', 'b', 'a']);
      expect(column(t, 'mode')).toEqual(['walk', 'bike', null, 'walk', 'car', 'car']);
      expect(column(t, 'size')).toEqual([3, 1, 2, 3, 3, 1]);
      expect(typeOf(t, 'size').typeId).toBe(Type.Int); // numeric categories: plain values
      expect(t.getChild('zone')!.data[0].dictionary!.toArray()).toEqual(['a', 'b', 'c']);
    });
  });

  test('strings (table: fixed-width bytes, nan_rep → null; fixed: pickled objects) and UTF-8', async () => {
    await withStore(KINDS_H5, async (store) => {
      const expected = ['x', 'yy', null, 'né', '', 'w'];
      expect(column(await store.table('cats'), 'name')).toEqual(expected);
      expect(column(await store.table('fixed_kinds'), 'name')).toEqual(expected);
      const byKey = await store.table('strindex_table');
      expect(byKey.schema.fields.map((f) => f.name)).toEqual(['k', 'v']);
      expect(column(byKey, 'k')).toEqual(['a', 'bb', 'ccc']);
    });
  });

  test('datetime64 columns and indexes are timestamp[ns] with nanoseconds kept and NaT → null; bools are Bool', async () => {
    await withStore(KINDS_H5, async (store) => {
      for (const key of ['cats', 'fixed_kinds', 'multi_table', 'multi_fixed']) {
        const t = await store.table(key);
        expect(typeOf(t, 'when').typeId).toBe(Type.Timestamp);
        const when = t.getChild('when')!;
        expect(when.data[0].values[0]).toBe(1704067200000000001n);
        expect(when.isValid(2)).toBe(false);
        expect(when.isValid(3)).toBe(true);
        expect(typeOf(t, 'flag').typeId).toBe(Type.Bool);
        expect(column(t, 'flag')).toEqual([true, false, true, true, false, false]);
        expect(column(t, 'v')).toEqual([0, 1.5, 3, 4.5, 6, 7.5]);
      }
      const dt = await store.table('dtindex');
      expect(dt.schema.fields.map((f) => f.name)).toEqual(['t', 'v']);
      expect(dt.getChild('t')!.data[0].values[1]).toBe(1704153600000000000n);
    });
  });

  test('a MultiIndex becomes one column per level, first, in table and fixed stores', async () => {
    await withStore(KINDS_H5, async (store) => {
      for (const key of ['multi_table', 'multi_fixed']) {
        const t = await store.table(key);
        expect(t.schema.fields.map((f) => f.name)).toEqual(['hh', 'per', 'name', 'when', 'flag', 'v']);
        expect(column(t, 'hh')).toEqual([1, 1, 2, 2, 3, 3]);
        expect(column(t, 'per')).toEqual(['p', 'q', 'p', 'q', 'p', 'q']);
        expect(typeOf(t, 'hh').typeId).toBe(Type.Int);
        expect(store.tables.find((x) => x.key === key)!.columns).toEqual(['hh', 'per', 'name', 'when', 'flag', 'v']);
      }
    });
  });

  test('a blosc-compressed store is FORMAT_CODEC_UNSUPPORTED naming the filter and how to repack (reads and content identity)', async () => {
    await withStore(BLOSC_H5, async (store) => {
      expect(store.tables.map((t) => [t.key, t.rows])).toEqual([['trips', 1000]]);
      const err = await store.table('trips').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err).toMatchObject({ code: 'FORMAT_CODEC_UNSUPPORTED', details: { file: BLOSC_H5, place: '/trips/table' } });
      expect((err as Error).message).toMatch(/blosc.*ptrepack --complevel=5 --complib=zlib/s);
    });
    await expect(hdf5ContentHash(BLOSC_H5)).rejects.toMatchObject({ code: 'FORMAT_CODEC_UNSUPPORTED' });
  });
});

describe('pandas table decoding across slices', () => {
  test('a table larger than one gather slice (gzip chunks) decodes every row of every column exactly', async () => {
    const rows = 150_000; // 32-byte records: > one 4 MiB slice
    const path = join(tempDir(), 'big.h5');
    const dist = Float64Array.from({ length: rows }, (_, i) => i / 3);
    dist[7] = Number.NaN;
    await writePandasTable(path, {
      key: 'trips', gzip: 1, chunkRows: 1000,
      columns: { dist, zone: Int32Array.from({ length: rows }, (_, i) => i % 11 - 5), pid: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 10_000_000_000n) },
    });
    await withStore(path, async (store) => {
      const t = await store.table('trips');
      expect(t.numRows).toBe(rows);
      expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['index:Int64', 'dist:Float64', 'zone:Int32', 'pid:Int64']);
      const got = t.getChild('dist')!.toArray() as Float64Array;
      expect(Number.isNaN(got[7])).toBe(true);
      got[7] = 0;
      dist[7] = 0;
      expect(Buffer.compare(Buffer.from(got.buffer, got.byteOffset, got.byteLength), Buffer.from(dist.buffer))).toBe(0);
      const zone = t.getChild('zone')!.toArray() as Int32Array;
      expect([zone[0], zone[rows - 1]]).toEqual([-5, ((rows - 1) % 11) - 5]);
      const pid = t.getChild('pid')!.toArray() as BigInt64Array;
      expect(pid[rows - 1]).toBe(BigInt(rows - 1) * 10_000_000_000n);
      expect((t.getChild('index')!.toArray() as BigInt64Array)[rows - 1]).toBe(BigInt(rows - 1));
    });
  });
});
