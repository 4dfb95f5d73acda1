import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { useMemoryDuck } from '../../helpers/memory-duck';
import {
  appendArrowTable, arrowTypeForDuck, duckTypeForArrow, queryToArrow, readFileToArrow, rowsToArrow, writeParquet,
} from '../../../src/engine/arrow-bridge';
import { DuckDBBigIntType, DuckDBTimestampMillisecondsType, DuckDBListType, DuckDBIntegerType } from '@duckdb/node-api';

describe('arrow-bridge', () => {
  const duck = useMemoryDuck('arrow-bridge-');
  let conn: DuckDBConnection;
  let dir: string;
  beforeEach(() => ({ conn, dir } = duck));

  const when = new Date('2024-03-01T12:34:56.789Z');
  const sampleRows = (): Record<string, unknown>[] => [
    { id: 1, x: 1.5, name: 'a', ok: true, at: when, big: 10n },
    { id: 2, x: 2, name: null, ok: false, at: null, big: 9007199254740993n },
    { id: 3, name: 'ünï', ok: null, at: new Date(0), extra: 'late' },
  ];

  const typeIds = (t: arrow.Table): string[] => t.schema.fields.map((f) => `${f.name}:${f.type}`);

  describe('rowsToArrow', () => {
    it('infers column types over all rows in first-seen order', () => {
      const t = rowsToArrow(sampleRows());
      expect(typeIds(t)).toEqual([
        'id:Int64', 'x:Float64', 'name:Utf8', 'ok:Bool', 'at:Timestamp<MILLISECOND>', 'big:Int64', 'extra:Utf8',
      ]);
      expect(t.numRows).toBe(3);
      expect(t.get(0)?.toJSON()).toMatchObject({ id: 1n, x: 1.5, name: 'a', ok: true, at: when.getTime(), big: 10n, extra: null });
      expect(t.get(1)?.toJSON()).toMatchObject({ x: 2, name: null, ok: false, at: null, big: 9007199254740993n });
      expect(t.get(2)?.toJSON()).toMatchObject({ x: null, name: 'ünï', ok: null, at: 0, big: null, extra: 'late' });
    });

    it('stores mixed incompatible values as strings and all-null columns as Null', () => {
      const t = rowsToArrow([{ m: 1, n: null }, { m: 'two', n: undefined }, { m: true }, { m: 1.5 }]);
      expect(typeIds(t)).toEqual(['m:Utf8', 'n:Null']);
      expect(t.getChild('m')?.toArray()).toEqual(['1', 'two', 'true', '1.5']);
    });

    it('rejects array and object values when a column would be a List or Struct', () => {
      expect(() => rowsToArrow([{ a: [1, 2] }])).toThrow(expect.objectContaining({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' }));
      expect(() => rowsToArrow([{ a: { b: 1 } }])).toThrow(expect.objectContaining({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' }));
    });

    it('returns an empty table when there are no rows', () => {
      const t = rowsToArrow([]);
      expect(t.numRows).toBe(0);
      expect(t.numCols).toBe(0);
    });
  });

  describe('type mappings', () => {
    it('maps Arrow types to DuckDB column types', () => {
      expect(duckTypeForArrow(new arrow.Int64())).toBe('BIGINT');
      expect(duckTypeForArrow(new arrow.Uint16())).toBe('USMALLINT');
      expect(duckTypeForArrow(new arrow.Float32())).toBe('FLOAT');
      expect(duckTypeForArrow(new arrow.LargeUtf8())).toBe('VARCHAR');
      expect(duckTypeForArrow(new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()))).toBe('VARCHAR');
      expect(duckTypeForArrow(new arrow.TimestampMillisecond())).toBe('TIMESTAMP_MS');
      expect(duckTypeForArrow(new arrow.TimestampNanosecond('UTC'))).toBe('TIMESTAMP WITH TIME ZONE');
      expect(duckTypeForArrow(new arrow.DateDay())).toBe('DATE');
      expect(duckTypeForArrow(new arrow.Decimal(2, 10, 128))).toBe('DOUBLE');
      expect(duckTypeForArrow(new arrow.Null())).toBe('VARCHAR');
    });

    it('maps DuckDB types to Arrow types', () => {
      expect(String(arrowTypeForDuck(DuckDBBigIntType.instance))).toBe('Int64');
      expect(String(arrowTypeForDuck(DuckDBIntegerType.instance))).toBe('Int32');
      expect(String(arrowTypeForDuck(DuckDBTimestampMillisecondsType.instance))).toBe('Timestamp<MILLISECOND>');
    });

    it('rejects nested types with ARTIFACT_UNSUPPORTED_FORMAT', () => {
      const list = new arrow.List(new arrow.Field('item', new arrow.Int32()));
      expect(() => duckTypeForArrow(list)).toThrow(expect.objectContaining({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' }));
      expect(() => arrowTypeForDuck(new DuckDBListType(DuckDBIntegerType.instance)))
        .toThrow(expect.objectContaining({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' }));
    });
  });

  describe('queryToArrow', () => {
    it('keeps DuckDB column types and NULLs', async () => {
      const t = await queryToArrow(conn, `SELECT * FROM (VALUES
        (1::BIGINT, 1.5::DOUBLE, 'a', true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.678', 1.25::DECIMAL(10,2), 7::INTEGER),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) v(i, d, s, b, dt, ts, dec, i32)`);
      expect(typeIds(t)).toEqual(['i:Int64', 'd:Float64', 's:Utf8', 'b:Bool', 'dt:Date32<DAY>',
        'ts:Timestamp<MICROSECOND>', 'dec:Float64', 'i32:Int32']);
      expect(t.getChild('i')?.data[0].values).toBeInstanceOf(BigInt64Array);
      expect(t.getChild('d')?.data[0].values).toBeInstanceOf(Float64Array);
      expect(t.get(0)?.toJSON()).toEqual({ i: 1n, d: 1.5, s: 'a', b: true, dt: Date.UTC(2024, 0, 2),
        ts: Date.UTC(2024, 0, 2, 3, 4, 5, 678), dec: 1.25, i32: 7 });
      expect(Object.values(t.get(1)?.toJSON() ?? {})).toEqual(Array(8).fill(null));
    });

    it('returns a typed empty table for a 0-row result', async () => {
      const t = await queryToArrow(conn, 'SELECT 1::BIGINT AS a, \'x\' AS b WHERE false');
      expect(t.numRows).toBe(0);
      expect(typeIds(t)).toEqual(['a:Int64', 'b:Utf8']);
    });

    it('binds positional and named parameters', async () => {
      const t = await queryToArrow(conn, 'SELECT ?::INTEGER + 1 AS a, ?::VARCHAR AS b', [41, 'x']);
      expect(t.get(0)?.toJSON()).toEqual({ a: 42, b: 'x' });
      const n = await queryToArrow(conn, 'SELECT $v::BIGINT AS v', { v: 5 });
      expect(n.get(0)?.toJSON()).toEqual({ v: 5n });
    });

    it('reads several chunks into one table', async () => {
      const t = await queryToArrow(conn, 'SELECT range AS i, range::VARCHAR AS s FROM range(5000)');
      expect(t.numRows).toBe(5000);
      expect(t.get(4999)?.toJSON()).toEqual({ i: 4999n, s: '4999' });
    });

    it('rejects LIST columns with ARTIFACT_UNSUPPORTED_FORMAT', async () => {
      await expect(queryToArrow(conn, 'SELECT [1, 2] AS l')).rejects.toMatchObject({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' });
    });

    it('wraps SQL errors in DB_QUERY_FAILED', async () => {
      await expect(queryToArrow(conn, 'SELECT * FROM nope')).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    });
  });

  describe('appendArrowTable', () => {
    it('creates the table and appends 100k rows with constant columns', async () => {
      const n = 100_000;
      const rows = Array.from({ length: n }, (_, i) => ({ i, x: i * 0.5, s: `s${i % 7}`, b: i % 2 === 0, maybe: i % 3 === 0 ? null : i }));
      const appended = await appendArrowTable(conn, { schema: 'hot', table: 'person' }, rowsToArrow(rows), {
        create: true, extraColumns: { consist_run_id: { type: 'VARCHAR', value: 'run-1' }, consist_year: { type: 'INTEGER', value: 2030 } },
      });
      expect(appended).toBe(n);
      const t = await queryToArrow(conn, `SELECT count(*) AS n, sum(i) AS si, sum(x) AS sx, count(maybe) AS nm,
        sum(b::INT) AS nb, count(DISTINCT s) AS ds, min(consist_run_id) AS run, max(consist_year) AS y FROM hot.person`);
      expect(t.get(0)?.toJSON()).toEqual({ n: BigInt(n), si: BigInt((n * (n - 1)) / 2), sx: (n * (n - 1)) / 4,
        nm: BigInt(n - Math.ceil(n / 3)), nb: BigInt(n / 2), ds: 7n, run: 'run-1', y: 2030 });
    });

    it('appends by name when the existing table has another column order', async () => {
      await conn.run('CREATE TABLE t (consist_run_id VARCHAR, b VARCHAR, a DOUBLE, c INTEGER)');
      await appendArrowTable(conn, { table: 't' }, rowsToArrow([{ a: 1, b: 'x' }, { a: 2.5, b: null }]),
        { extraColumns: { consist_run_id: { type: 'VARCHAR', value: 'r' } } });
      const t = await queryToArrow(conn, 'SELECT * FROM t ORDER BY a');
      expect(t.toArray().map((r) => r.toJSON())).toEqual([
        { consist_run_id: 'r', b: 'x', a: 1, c: null }, { consist_run_id: 'r', b: null, a: 2.5, c: null }]);
    });

    it('appends several record batches and sliced tables', async () => {
      const whole = rowsToArrow(Array.from({ length: 5000 }, (_, i) => ({ i, s: String(i), ok: i % 3 === 0 })));
      const table = new arrow.Table([...whole.slice(0, 2100).batches, ...whole.slice(2100).batches]);
      await appendArrowTable(conn, { table: 'b' }, table, { create: true });
      const t = await queryToArrow(conn, 'SELECT count(*) AS n, sum(i) AS si, sum(s::INT) AS ss, sum(ok::INT) AS so FROM b');
      expect(t.get(0)?.toJSON()).toEqual({ n: 5000n, si: 12497500n, ss: 12497500n, so: 1667n });
    });

    it('fails with ARTIFACT_WRITE_FAILED when the table does not exist', async () => {
      await expect(appendArrowTable(conn, { table: 'missing' }, rowsToArrow([{ a: 1 }])))
        .rejects.toMatchObject({ code: 'ARTIFACT_WRITE_FAILED' });
    });
  });

  describe('writeParquet and readFileToArrow', () => {
    it('round-trips rows through Parquet with types and nulls preserved', async () => {
      const file = path.join(dir, 'out.parquet');
      const source = rowsToArrow(sampleRows());
      await writeParquet(conn, source, file);
      const back = await readFileToArrow(conn, file, 'parquet');
      expect(typeIds(back)).toEqual([
        'id:Int64', 'x:Float64', 'name:Utf8', 'ok:Bool', 'at:Timestamp<MICROSECOND>', 'big:Int64', 'extra:Utf8']);
      expect(back.toArray().map((r) => r.toJSON())).toEqual(source.toArray().map((r) => r.toJSON()));
      expect((await fs.readdir(dir)).sort()).toEqual(['out.parquet']);
    });

    it('round-trips Arrow-native types (dictionary, int32, float32, date, decimal, tz timestamps)', async () => {
      const file = path.join(dir, 'native.parquet');
      const source = new arrow.Table({
        d: arrow.vectorFromArray(['a', 'b', 'a', null], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
        i: arrow.makeVector(Int32Array.from([1, -2, 3, 4])),
        f: arrow.makeVector(Float32Array.from([0.5, 1.5, 2.5, 3.5])),
        day: arrow.vectorFromArray([new Date(Date.UTC(2020, 1, 3)), null, new Date(0), new Date(Date.UTC(1969, 0, 1))], new arrow.DateDay()),
        tz: arrow.vectorFromArray([1_000, 2_000, null, 4_000], new arrow.TimestampSecond('UTC')),
        dec: arrow.makeVector(arrow.makeData({ type: new arrow.Decimal(2, 10, 128), length: 4, nullCount: 0,
          data: Uint32Array.from([125, 0, 0, 0, 0xffffff06, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 0, 0, 1, 0, 0]) })),
      });
      await writeParquet(conn, source, file);
      const back = await readFileToArrow(conn, file, 'parquet');
      expect(typeIds(back)).toEqual(['d:Utf8', 'i:Int32', 'f:Float32', 'day:Date32<DAY>', 'tz:Timestamp<MICROSECOND, UTC>', 'dec:Float64']);
      expect(back.getChild('d')?.toArray()).toEqual(['a', 'b', 'a', null]);
      expect(back.getChild('day')?.toArray()).toEqual(source.getChild('day')?.toArray());
      expect([...(back.getChild('tz') ?? [])]).toEqual([1_000, 2_000, null, 4_000]);
      expect([...(back.getChild('dec') ?? [])]).toEqual([1.25, -2.5, 0, 4294967296 / 100]);
    });

    it('writes and reads an empty table with its schema', async () => {
      const file = path.join(dir, 'empty.parquet');
      const empty = rowsToArrow([{ a: 1, s: 'x' }]).slice(0, 0);
      await writeParquet(conn, empty, file);
      const back = await readFileToArrow(conn, file, 'parquet');
      expect(back.numRows).toBe(0);
      expect(typeIds(back)).toEqual(['a:Int64', 's:Utf8']);
    });

    it('reads CSV, gzipped CSV and JSON files with reader options', async () => {
      await fs.writeFile(path.join(dir, 'a.csv'), 'id;name\n1;x\n2;y\n');
      await conn.run(`COPY (SELECT 1 AS id, 'x' AS name) TO '${path.join(dir, 'b.csv.gz')}' (FORMAT csv, HEADER)`);
      await fs.writeFile(path.join(dir, 'c.json'), '[{"id": 1, "name": "x"}]');
      const csv = await readFileToArrow(conn, path.join(dir, 'a.csv'), 'csv', { delim: ';', header: true });
      expect(csv.toArray().map((r) => r.toJSON())).toEqual([{ id: 1n, name: 'x' }, { id: 2n, name: 'y' }]);
      expect((await readFileToArrow(conn, path.join(dir, 'b.csv.gz'), 'csv')).numRows).toBe(1);
      expect((await readFileToArrow(conn, path.join(dir, 'c.json'), 'json')).get(0)?.toJSON()).toEqual({ id: 1n, name: 'x' });
    });

    it('fails with ARTIFACT_LOAD_FAILED on a truncated Parquet file', async () => {
      const file = path.join(dir, 'bad.parquet');
      await writeParquet(conn, rowsToArrow(Array.from({ length: 1000 }, (_, i) => ({ i, s: `v${i}` }))), file);
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      await expect(readFileToArrow(conn, file, 'parquet')).rejects.toMatchObject({ code: 'ARTIFACT_LOAD_FAILED' });
    });

    it('fails with ARTIFACT_LOAD_FAILED on a missing file', async () => {
      await expect(readFileToArrow(conn, path.join(dir, 'none.parquet'), 'parquet')).rejects.toMatchObject({ code: 'ARTIFACT_LOAD_FAILED' });
    });

    it('fails with ARTIFACT_UNSUPPORTED_FORMAT on an unknown driver', async () => {
      await expect(readFileToArrow(conn, 'x.xlsx', 'xlsx' as 'csv')).rejects.toMatchObject({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' });
    });

    it('rejects an Arrow List column with ARTIFACT_UNSUPPORTED_FORMAT and writes nothing', async () => {
      const file = path.join(dir, 'list.parquet');
      const table = new arrow.Table({ l: arrow.vectorFromArray([[1, 2]], new arrow.List(new arrow.Field('item', new arrow.Int32()))) });
      await expect(writeParquet(conn, table, file)).rejects.toMatchObject({ code: 'ARTIFACT_UNSUPPORTED_FORMAT' });
      expect(await fs.readdir(dir)).toEqual([]);
    });

    it('leaves no file at the path when the folder does not exist', async () => {
      const file = path.join(dir, 'missing', 'out.parquet');
      await expect(writeParquet(conn, rowsToArrow([{ a: 1 }]), file)).rejects.toMatchObject({ code: 'ARTIFACT_WRITE_FAILED' });
      await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
      const temps = await queryToArrow(conn, "SELECT count(*) AS n FROM duckdb_tables() WHERE temporary");
      expect(temps.get(0)?.toJSON()).toEqual({ n: 0n });
    });

    it('replaces an existing file atomically and leaves no temp files', async () => {
      const file = path.join(dir, 'same.parquet');
      await writeParquet(conn, rowsToArrow([{ a: 1 }]), file);
      await writeParquet(conn, rowsToArrow([{ a: 2 }, { a: 3 }]), file);
      expect((await readFileToArrow(conn, file, 'parquet')).numRows).toBe(2);
      expect(await fs.readdir(dir)).toEqual(['same.parquet']);
    });
  });
});
