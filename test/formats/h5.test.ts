import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../src/errors';
import { hdf5ContentHash } from '../../src/formats/h5/h5-identity';
import { H5Store } from '../../src/formats/h5/h5-store';
import { OmxFile } from '../../src/formats/h5/omx-file';
import { PIPELINE_H5, tempDir, writeOmx } from './format-fixtures';

describe('OMX and HDF5 drivers', () => {
  test('an OMX file opens with shape, matrices, lookups, attributes and row slices', async () => {
    const p = await writeOmx(join(tempDir(), 'skims.omx'), { n: 5 });
    const omx = await OmxFile.open(p);
    try {
      expect(omx.shape).toEqual([5, 5]);
      expect(omx.matrices).toEqual(['dist', 'time']);
      expect(Array.from(omx.lookups.zone_id as Int32Array)).toEqual([101, 102, 103, 104, 105]);
      expect(omx.attributes.OMX_VERSION).toBe('0.2');
      expect(omx.info('time')).toEqual({ name: 'time', shape: [5, 5], dtype: 'float64', attributes: { units: 'min' } });
      const all = omx.matrix('time');
      expect(all).toBeInstanceOf(Float64Array);
      expect(all.length).toBe(25);
      expect(Array.from(omx.matrix('dist', { rows: [1, 2] }) as Float64Array)).toEqual([60, 70, 80, 90, 100]);
      expect(() => omx.matrix('nope')).toThrow(expect.objectContaining({ code: 'FORMAT_MEMBER_NOT_FOUND' }));
    } finally {
      omx.close();
    }
  });

  test('content identity: two writes of the same matrices (other chunking, compression, bookkeeping attrs) hash equal', async () => {
    const dir = tempDir();
    const a = await hdf5ContentHash(await writeOmx(join(dir, 'a.omx'), { n: 6 }));
    const b = await hdf5ContentHash(await writeOmx(join(dir, 'b.omx'), { n: 6, chunked: true, title: 'written by openmatrix' }));
    const c = await hdf5ContentHash(await writeOmx(join(dir, 'c.omx'), { n: 6, scale: 2 }));
    const [ba, bb] = [await fs.readFile(join(dir, 'a.omx')), await fs.readFile(join(dir, 'b.omx'))];
    expect(ba.equals(bb)).toBe(false);
    expect(a).toMatch(/^hdf5:[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  test('a truncated HDF5 file is FORMAT_CORRUPT naming the file', async () => {
    const dir = tempDir();
    const p = await writeOmx(join(dir, 'whole.omx'), { n: 64 });
    const bytes = await fs.readFile(p);
    const cut = join(dir, 'cut.omx');
    await fs.writeFile(cut, bytes.subarray(0, 1500));
    const err = await OmxFile.open(cut).then(
      async (f) => { try { f.matrix('time'); return undefined; } finally { f.close(); } },
      (e: unknown) => e,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).code).toBe('FORMAT_CORRUPT');
    expect((err as FormatError).details.file).toBe(cut);
    await fs.writeFile(cut, 'not hdf5 at all');
    await expect(H5Store.open(cut)).rejects.toMatchObject({ code: 'FORMAT_CORRUPT' });
  });

  test('pandas fixed and table stores (PyTables-written, string columns included) read as Arrow', async () => {
    const store = await H5Store.open(PIPELINE_H5);
    try {
      expect(store.tables.map((t) => [t.key, t.format, t.rows])).toEqual([
        ['checkpoints', 'fixed', 2],
        ['households/initialize_households', 'fixed', 50],
        ['land_use/initialize_landuse', 'table', 7],
        ['persons/initialize_households', 'table', 100],
      ]);
      const hh = await store.table('households/initialize_households');
      expect(hh.schema.fields.map((f) => f.name)).toEqual(['household_id', 'income', 'cars', 'home_zone', 'tenure', 'is_senior']);
      expect(hh.numRows).toBe(50);
      const row = hh.get(1)!.toJSON();
      expect(row).toMatchObject({ income: 2000, cars: 1, tenure: 'own', is_senior: false });
      expect(Number(row.home_zone)).toBe(2);
      const persons = await store.table('persons/initialize_households');
      expect(persons.schema.fields.map((f) => f.name)).toEqual(['person_id', 'household_id', 'age', 'ptype']);
      expect(persons.get(1)!.toJSON()).toMatchObject({ age: 7, ptype: 'student' });
      expect(Number(persons.get(1)!.toJSON().person_id)).toBe(101);
      const lu = await store.table('land_use/initialize_landuse');
      expect(lu.getChild('area')!.toArray()[2]).toBe(3);
      const cp = await store.table('checkpoints');
      expect(cp.getChild('checkpoint_name')!.toArray()).toEqual(['init', 'initialize_households']);
      await expect(store.table('nope')).rejects.toMatchObject({ code: 'FORMAT_MEMBER_NOT_FOUND' });
    } finally {
      store.close();
    }
  });
});

describe('pandas pickled attributes', () => {
  test('a multi-column block lists every name (protocol-0 list: APPEND opcodes before each name)', () => {
    const { pickledNames } = jest.requireActual('../../src/formats/h5/pandas-pickle') as typeof import('../../src/formats/h5/pandas-pickle');
    expect(pickledNames('(lp0\nVa\np1\naVb\np2\naVc\np3\na.')).toEqual(['a', 'b', 'c']);
    expect(pickledNames("(lp0\nS'old'\np1\naVn\\u00e9\np2\na.")).toEqual(['old', 'né']);
    expect(pickledNames(undefined)).toEqual([]);
  });
});
