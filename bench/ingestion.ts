import * as path from 'node:path';
import { DuckDBDataChunk, DuckDBInstance, BIGINT, BOOLEAN, DOUBLE, INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { Tracker } from '../src/tracker/tracker';
import type { Artifact } from '../src/model';
import { DUCKDB_OPTIONS } from '../src/provenance/instance-registry';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { BENCH_COLUMNS, benchTable, jsColumns } from './data';

const TYPES = [BIGINT, INTEGER, DOUBLE, VARCHAR, BOOLEAN];
const CHUNK = 2048;

/** The floor: a fresh table filled by one Appender from DataChunks of plain JS values, in one transaction. */
async function appenderFloor(conn: DuckDBConnection, table: string, columns: unknown[][], rows: number): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  await conn.run(`CREATE TABLE ${table} (${BENCH_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const appender = await conn.createAppender(table);
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    const chunk = DuckDBDataChunk.create(TYPES, n);
    columns.forEach((values, c) => chunk.setColumnValues(c, values.slice(start, start + n) as never));
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  await conn.run('COMMIT');
}

/** One fresh artifact per ingestion (ingesting is idempotent per artifact), each under its own key. */
async function newArtifacts(tracker: Tracker, count: number): Promise<Artifact[]> {
  const out: Artifact[] = [];
  await tracker.startRun('bench_ingest_source', {}, async () => {
    for (let i = 0; i < count; i++) {
      out.push(await tracker.logArtifact(path.join(tracker.runDir, `rows_${i}.parquet`), { key: `rows_${i}`, direction: 'output' }));
    }
  });
  return out;
}

/** `tracker.ingest(artifact, { data: arrowTable })` against a raw DataChunk Appender, both into a DB file. */
export const ingestionBench: Bench = {
  name: 'ingestion',
  async run(ctx) {
    const rows = ctx.sizes['ingestion.rows'];
    const table: Table = benchTable(rows);
    const columns = jsColumns(table);
    const opts = reps(ctx.sizes, ctx.sizes['ingestion.reps']);
    const tracker = await Tracker.open({ runDir: path.join(ctx.workDir, 'runs'), codeIdentity: 'class-source', logger: silentLogger });
    const instance = await DuckDBInstance.create(path.join(ctx.workDir, 'floor.duckdb'), DUCKDB_OPTIONS);
    const conn = await instance.connect();
    try {
      const artifacts = await newArtifacts(tracker, opts.warmup + opts.reps);
      let a = 0;
      let f = 0;
      const t = await timePair(
        async () => {
          const r = await tracker.ingest(artifacts[a++], { data: table });
          if (r.rowCount !== rows) throw new Error(`ingested ${r.rowCount} rows, expected ${rows}`);
        },
        () => appenderFloor(conn, `floor_${f++}`, columns, rows),
        opts,
      );
      return [compare(`ingestion ${rows.toLocaleString('en-US')} rows`, t.ours, t.floor, '>= 0.8',
        { throughputAmount: rows, unit: 'rows/s', note: 'floor: Appender + DataChunks of plain JS values, file DB, one transaction; both append on the calling thread (DuckDB default threads for the commit)' })];
    } finally {
      conn.closeSync();
      instance.closeSync();
      await tracker.close();
    }
  },
};
