import * as arrow from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { useMemoryDuck } from '../../helpers/memory-duck';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { appendArrowTable, queryToArrow, writeParquet } from '../../../src/engine/arrow-bridge';
import { arrowVectorFill } from '../../../src/engine/arrow-chunk-fill';


/** Strings around the 12-byte inline limit of DuckDB's string_t, multi-byte ones included. */
const word = (i: number): string | null =>
  (i % 11 === 0 ? null : ['', 'a', 'twelve-bytes', 'thirteen-byte', 'ünïcödé-ß', '€€€€', 'x'.repeat(i % 40)][i % 7]);

function sampleTable(rows: number): arrow.Table {
  const ints = Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : i * 3 - 7));
  return new arrow.Table({
    id: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => i), new arrow.Int32()),
    big: arrow.vectorFromArray(ints.map((v) => (v === null ? null : BigInt(v) * 1_000_000_007n)), new arrow.Int64()),
    small: arrow.vectorFromArray(ints.map((v) => (v === null ? null : v % 100)), new arrow.Int8()),
    f: arrow.vectorFromArray(ints.map((v) => (v === null ? null : v / 4)), new arrow.Float32()),
    d: arrow.vectorFromArray(ints.map((v) => (v === null ? null : v / 3)), new arrow.Float64()),
    ok: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? null : i % 3 === 0)), new arrow.Bool()),
    s: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => word(i)), new arrow.Utf8()),
    cat: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => word(i * 5)), new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    day: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 9 === 0 ? null : new Date(Date.UTC(2020, 0, 1 + i)))), new arrow.DateDay()),
  });
}

const plain = (v: unknown): unknown => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v);
const rowsOf = (t: arrow.Table): Record<string, unknown>[] =>
  t.toArray().map((r) => Object.fromEntries(Object.entries(r.toJSON()).map(([k, v]) => [k, plain(v)])));

describe('arrow-chunk-fill (byte-level Arrow → DuckDB vectors)', () => {
  const duck = useMemoryDuck('arrow-chunk-fill-');
  let conn: DuckDBConnection;
  beforeEach(() => ({ conn } = duck));

  it('has byte-level fillers for the common types and none for the others', () => {
    const t = sampleTable(10);
    for (const f of t.schema.fields) expect([f.name, arrowVectorFill(t.getChild(f.name)!.data[0]) !== undefined]).toEqual([f.name, true]);
    const ms = arrow.vectorFromArray([new Date(0)], new arrow.DateMillisecond());
    const dec = arrow.makeVector(arrow.makeData({ type: new arrow.Decimal(2, 10, 128), length: 1, data: new Uint32Array(4) }));
    expect(arrowVectorFill(dec.data[0])).toBeUndefined();
    expect(arrowVectorFill(ms.data[0])).toBeUndefined(); // DuckDB DATE is days: converted cell by cell
  });

  it('stores every value exactly: nulls, strings around 12 bytes, multi-byte text, slices at odd offsets, dictionaries', async () => {
    const whole = sampleTable(5000);
    // Three batches that start at row offsets that are not multiples of 8 (bit-level validity).
    const table = new arrow.Table([...whole.slice(3, 2103).batches, ...whole.slice(2103, 2110).batches, ...whole.slice(2110).batches]);
    await appendArrowTable(conn, { table: 'fast' }, table, {
      create: true,
      extraColumns: {
        run_id: { type: 'VARCHAR', value: 'a-run-id-longer-than-twelve-bytes' }, short: { type: 'VARCHAR', value: 'r1' },
        year: { type: 'INTEGER', value: 2030 }, nothing: { type: 'INTEGER', value: null }, n64: { type: 'BIGINT', value: 5n },
      },
    });
    const got = rowsOf(await queryToArrow(conn, 'SELECT * FROM fast ORDER BY id'));
    const want = rowsOf(table).map((r) => ({ ...r, run_id: 'a-run-id-longer-than-twelve-bytes', short: 'r1', year: 2030, nothing: null, n64: 5n }));
    expect(got.length).toBe(4997);
    expect(got).toEqual(want);
  });

  it('writes inline strings DuckDB compares, hashes and measures like its own', async () => {
    const table = sampleTable(3000);
    await appendArrowTable(conn, { table: 'fast' }, table, { create: true });
    const check = await queryToArrow(conn, `SELECT
      (SELECT count(*) FROM fast WHERE s = 'twelve-bytes') AS eq12,
      (SELECT count(*) FROM fast WHERE s = 'a') AS eq1,
      (SELECT count(*) FROM fast WHERE s = '') AS eq0,
      (SELECT count(DISTINCT s) FROM fast) AS distinct_s,
      (SELECT sum(length(s)) FROM fast) AS chars,
      (SELECT count(*) FROM fast f JOIN (SELECT DISTINCT s FROM fast) u ON f.s = u.s) AS joined`);
    const expected = (pred: (s: string | null) => boolean): bigint => BigInt(Array.from({ length: 3000 }, (_, i) => word(i)).filter(pred).length);
    expect(check.get(0)?.toJSON()).toEqual({
      eq12: expected((s) => s === 'twelve-bytes'), eq1: expected((s) => s === 'a'), eq0: expected((s) => s === ''),
      distinct_s: BigInt(new Set(Array.from({ length: 3000 }, (_, i) => word(i)).filter((s) => s !== null)).size),
      chars: BigInt(Array.from({ length: 3000 }, (_, i) => [...(word(i) ?? '')].length).reduce((a, b) => a + b, 0)),
      joined: expected((s) => s !== null),
    });
  });

  it('fails with ARTIFACT_WRITE_FAILED and appends nothing when a later chunk is refused', async () => {
    await conn.run('CREATE TABLE strict (id INTEGER, s VARCHAR NOT NULL)');
    const table = new arrow.Table({
      id: arrow.vectorFromArray(Array.from({ length: 4100 }, (_, i) => i), new arrow.Int32()),
      s: arrow.vectorFromArray(Array.from({ length: 4100 }, (_, i) => (i === 4099 ? null : 'v')), new arrow.Utf8()),
    });
    await expect(appendArrowTable(conn, { table: 'strict' }, table)).rejects.toMatchObject({ code: 'ARTIFACT_WRITE_FAILED' });
    const n = await queryToArrow(conn, 'SELECT count(*) AS n FROM strict');
    expect(n.get(0)?.toJSON()).toEqual({ n: 0n });
  });

  describe('writeParquet through the Arrow scan', () => {
    let dir: string;
    beforeEach(() => ({ dir } = duck));

    it('streams several batches (byte-level and cell-by-cell columns) into one file, from two connections of one instance', async () => {
      const days = Array.from({ length: 4500 }, (_, i) => (i % 13 === 0 ? null : new Date(Date.UTC(2021, 0, 1 + (i % 400)))));
      const whole = sampleTable(4500).assign(new arrow.Table({ ms: arrow.vectorFromArray(days, new arrow.DateMillisecond()) }));
      expect(arrowVectorFill(whole.getChild('ms')!.data[0])).toBeUndefined();
      const table = new arrow.Table([...whole.slice(0, 1).batches, ...whole.slice(1, 4001).batches, ...whole.slice(4001).batches]);
      const other = await duck.instance.connect();
      try {
        await Promise.all([writeParquet(conn, table, path.join(dir, 'a.parquet')), writeParquet(other, table, path.join(dir, 'b.parquet'))]);
      } finally {
        other.closeSync();
      }
      for (const f of ['a', 'b']) {
        const got = rowsOf(await queryToArrow(conn, `SELECT * FROM read_parquet(?) ORDER BY id`, [path.join(dir, `${f}.parquet`)]));
        expect(got).toEqual(rowsOf(table));
      }
    });

    it('fails with ARTIFACT_WRITE_FAILED and leaves no file when reading the Arrow table throws mid-scan', async () => {
      const table = sampleTable(5000);
      const broken = new arrow.Table([...table.slice(0, 3000).batches, ...table.slice(3000).batches]);
      Object.defineProperty(broken.batches[1], 'data', { get() { throw new Error('batch unreadable'); } });
      const file = path.join(dir, 'x.parquet');
      await expect(writeParquet(conn, broken, file)).rejects.toMatchObject({ code: 'ARTIFACT_WRITE_FAILED', message: expect.stringContaining('batch unreadable') });
      expect(await fs.readdir(dir)).toEqual([]);
    });
  });
});
