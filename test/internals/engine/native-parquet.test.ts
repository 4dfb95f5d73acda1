import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as arrow from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { useMemoryDuck } from '../../helpers/memory-duck';
import { queryToArrow, writeParquet } from '../../../src/engine/arrow-bridge';
import { withArrowScan } from '../../../src/engine/arrow-scan';
import { copyArrowNative, NATIVE_BATCH_ROWS, nativeArrowCopy } from '../../../src/engine/native-parquet';
import { waitFor } from '../../helpers/wait-for';


/** Every type the native writer carries, with nulls in odd places. */
function richTable(rows: number): arrow.Table {
  const maybe = <T>(i: number, v: T): T | null => (i % 7 === 3 ? null : v);
  const col = <T>(f: (i: number) => T) => Array.from({ length: rows }, (_, i) => f(i));
  return new arrow.Table({
    i8: arrow.vectorFromArray(col((i) => maybe(i, (i % 200) - 100)), new arrow.Int8()),
    u16: arrow.vectorFromArray(col((i) => maybe(i, i % 60000)), new arrow.Uint16()),
    i32: arrow.vectorFromArray(col((i) => maybe(i, i * 3 - 50)), new arrow.Int32()),
    i64: arrow.vectorFromArray(col((i) => maybe(i, BigInt(i) * 1_000_000_007n)), new arrow.Int64()),
    u64: arrow.vectorFromArray(col((i) => BigInt(i) * 3n), new arrow.Uint64()),
    f32: arrow.vectorFromArray(col((i) => maybe(i, i / 4)), new arrow.Float32()),
    f64: arrow.vectorFromArray(col((i) => maybe(i, i / 3)), new arrow.Float64()),
    ok: arrow.vectorFromArray(col((i) => maybe(i, i % 3 === 0)), new arrow.Bool()),
    s: arrow.vectorFromArray(col((i) => maybe(i, ['', 'a', 'twelve-bytes', 'ünïcödé-ß', 'x'.repeat(i % 40)][i % 5])), new arrow.Utf8()),
    day: arrow.vectorFromArray(col((i) => maybe(i, new Date(Date.UTC(2020, 0, 1 + (i % 900))))), new arrow.DateDay()),
    ms_day: arrow.vectorFromArray(col((i) => maybe(i, new Date(Date.UTC(2021, 0, 1 + (i % 300))))), new arrow.DateMillisecond()),
    ts: arrow.vectorFromArray(col((i) => maybe(i, new Date(Date.UTC(2024, 0, 1) + i * 1000))), new arrow.TimestampMillisecond()),
    tz: arrow.vectorFromArray(col((i) => maybe(i, new Date(Date.UTC(2024, 0, 1) + i * 1000))), new arrow.TimestampMicrosecond('UTC')),
  });
}

describe('native Arrow → Parquet writer (DuckDB core Arrow scan)', () => {
  const duck = useMemoryDuck('native-parquet-');
  let conn: DuckDBConnection;
  let dir: string;
  beforeEach(() => ({ conn, dir } = duck));

  const read = async (file: string) => (await queryToArrow(conn, 'SELECT * FROM read_parquet(?)', [file]));
  const describe_ = async (file: string) =>
    (await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet(?)', [file])).getRowObjectsJS().map((r) => `${r.column_name}:${r.column_type}`);

  it('is built on this machine by npm install (set CONSIST_NATIVE=0 to test the portable path alone)', () => {
    if (process.env.CONSIST_NATIVE === '0') expect(nativeArrowCopy()).toBeNull();
    else expect(nativeArrowCopy()).not.toBeNull();
  });

  it('writes exactly what the portable path writes: values, nulls, types, row order, odd-offset slices, several batches', async () => {
    const whole = richTable(9000);
    const table = new arrow.Table([...whole.slice(3, 2050).batches, ...whole.slice(2050, 2051).batches, ...whole.slice(2051).batches]);
    const native = path.join(dir, 'native.parquet');
    const sql = `COPY (SELECT * FROM consist_arrow_src) TO '${native}' (FORMAT parquet)`;
    expect(await copyArrowNative(table, sql)).toBe(nativeArrowCopy() !== null);
    // The portable writer (the table-function stream) over the same table:
    const portable = path.join(dir, 'portable.parquet');
    await withArrowScan(conn, table, (source) => conn.run(`COPY (SELECT * FROM ${source}) TO '${portable}' (FORMAT parquet)`));
    if (nativeArrowCopy()) {
      expect(await describe_(native)).toEqual(await describe_(portable));
      const a = (await read(native)).toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
      const b = (await read(portable)).toArray().map((r) => JSON.stringify(r.toJSON(), (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
      expect(a.length).toBe(8997);
      expect(a).toEqual(b);
    }
  });

  it('splits a batch larger than a row group into zero-copy slices and keeps every row in order', async () => {
    // One 130,003-row batch (as `makeVector` over typed arrays builds it), starting at an odd offset.
    const table = new arrow.Table(richTable(130_010).slice(7).batches);
    expect(table.batches.length).toBe(1);
    const native = path.join(dir, 'big-native.parquet');
    expect(await copyArrowNative(table, `COPY (SELECT * FROM consist_arrow_src) TO '${native}' (FORMAT parquet)`)).toBe(nativeArrowCopy() !== null);
    if (!nativeArrowCopy()) return;
    const portable = path.join(dir, 'big-portable.parquet');
    await withArrowScan(conn, table, (source) => conn.run(`COPY (SELECT * FROM ${source}) TO '${portable}' (FORMAT parquet)`));
    const differing = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet(?, file_row_number = true) AS x
      FULL JOIN read_parquet(?, file_row_number = true) AS y USING (file_row_number) WHERE x IS DISTINCT FROM y`, [native, portable]);
    expect(differing.getRowObjectsJS()).toEqual([{ n: 0 }]);
    const count = await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM read_parquet(?)', [native]);
    expect(count.getRowObjectsJS()).toEqual([{ n: 130_003 }]);
  });

  it('leaves dictionaries and null-typed columns to the portable path', async () => {
    const dict = new arrow.Table({ d: arrow.vectorFromArray(['a', 'b', 'a'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())) });
    expect(await copyArrowNative(dict, 'SELECT 1')).toBe(false);
    expect(await copyArrowNative(new arrow.Table({ n: arrow.vectorFromArray([null, null], new arrow.Null()) }), 'SELECT 1')).toBe(false);
    const file = path.join(dir, 'dict.parquet');
    await writeParquet(conn, dict, file);
    expect((await read(file)).toArray().map((r) => r.toJSON().d)).toEqual(['a', 'b', 'a']);
  });

  it('writes an empty table with its columns', async () => {
    const empty = richTable(0);
    const file = path.join(dir, 'empty.parquet');
    await writeParquet(conn, empty, file);
    expect((await describe_(file)).length).toBe(empty.schema.fields.length);
    expect((await read(file)).numRows).toBe(0);
  });

  it('rejects with DuckDB\'s message when the COPY fails, and writeParquet maps it to ARTIFACT_WRITE_FAILED with no file left', async () => {
    const table = richTable(10);
    if (nativeArrowCopy()) {
      await expect(copyArrowNative(table, `COPY (SELECT * FROM consist_arrow_src) TO '${path.join(dir, 'no', 'such', 'dir', 'x.parquet')}' (FORMAT parquet)`))
        .rejects.toThrow(/No such file|directory|IO Error/i);
      await expect(copyArrowNative(table, 'SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    }
    const target = path.join(dir, 'missing', 'x.parquet');
    await expect(writeParquet(conn, table, target)).rejects.toMatchObject({ code: 'ARTIFACT_WRITE_FAILED' });
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('tells onRows each batch the addon hands DuckDB, big batches sliced (Parquet-write progress)', async () => {
    if (!nativeArrowCopy()) {
      console.log('native addon not built (or CONSIST_NATIVE=0): the onBatch callback is not tested here');
      return;
    }
    const rows = NATIVE_BATCH_ROWS * 2 + 5;
    const table = new arrow.Table({ i: arrow.makeVector(Int32Array.from({ length: rows }, (_, i) => i)) });
    const seen: number[] = [];
    const file = path.join(dir, 'progress.parquet');
    expect(await copyArrowNative(table, `COPY (SELECT * FROM consist_arrow_src) TO '${file}' (FORMAT parquet)`, (n) => seen.push(n))).toBe(true);
    // The callbacks run on the JS thread through a thread-safe function: they may land after the promise.
    await waitFor(() => (seen.length >= 3 ? true : undefined), 'three onBatch calls', 30_000);
    expect(seen).toEqual([NATIVE_BATCH_ROWS, NATIVE_BATCH_ROWS, 5]);
    expect(Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${file}')`)).getRows()[0][0])).toBe(rows);
  });
});
