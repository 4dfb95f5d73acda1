import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Tracker } from '../src/tracker/tracker';
import type { Artifact } from '../src/model';
import { DUCKDB_OPTIONS } from '../src/provenance/instance-registry';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { benchRowsSql } from './data';
import { rawConnection } from './seed';
import { coldHotFloorSql } from './floors';

const KEY = 'trips';
const QUERY = 'SELECT consist_year, count(*) AS n, sum(dist) AS total FROM v_trips GROUP BY consist_year ORDER BY consist_year';

/** Writes `count` Parquet files of `rows` rows each (a private in-memory DuckDB does the writing). */
async function writeFiles(dir: string, count: number, rows: number): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
  const conn = await instance.connect();
  const files: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const file = path.join(dir, `trips_${i}.parquet`);
      await conn.run(`COPY (${benchRowsSql(rows)}) TO '${file}' (FORMAT parquet)`);
      files.push(file);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return files;
}

/** One producing run per file (years 2020–2024 round robin), logging the file under {@link KEY}. */
async function logFiles(tracker: Tracker, files: readonly string[]): Promise<{ artifact: Artifact; year: number }[]> {
  const out: { artifact: Artifact; year: number }[] = [];
  for (const [i, file] of files.entries()) {
    const year = 2020 + (i % 5);
    await tracker.startRun(`bench_produce_${i}`, { year }, async () => {
      out.push({ artifact: await tracker.logArtifact(file, { key: KEY, direction: 'output' }), year });
    });
  }
  return out;
}

/** A hybrid view over N cold Parquet files + N ingested artifacts, GROUP BY consist_year, against hand-written SQL. */
export const hybridViewBench: Bench = {
  name: 'hybrid-view',
  async run(ctx) {
    const s = ctx.sizes;
    const rows = s['hybrid.rowsPerFile'];
    const files = await writeFiles(ctx.workDir, s['hybrid.cold'] + s['hybrid.hot'], rows);
    const tracker = await Tracker.open({ runDir: path.join(ctx.workDir, 'runs'), codeIdentity: 'class-source', logger: silentLogger, hashing: 'fast' });
    try {
      const logged = await logFiles(tracker, files);
      const hot = logged.slice(0, s['hybrid.hot']);
      const cold = logged.slice(s['hybrid.hot']);
      for (const h of hot) await tracker.ingest(h.artifact);
      await tracker.createView('v_trips', KEY);
      const raw = await rawConnection(tracker.dbPath);
      try {
        const floor = coldHotFloorSql(cold.map((c) => ({ path: c.artifact.path, year: c.year })), `SELECT * FROM hot.${KEY}`);
        const total = (rs: readonly Record<string, unknown>[]) => rs.reduce((a, r) => a + Number(r.n), 0);
        const expected = total((await raw.conn.runAndReadAll(floor)).getRowObjectsJS());
        const got = total(await tracker.sql(QUERY));
        if (got !== expected || got !== rows * files.length) throw new Error(`view has ${got} rows, floor ${expected}`);
        const t = await timePair(
          () => tracker.sql(QUERY),
          async () => (await raw.conn.runAndReadAll(floor)).getRowObjectsJS(),
          reps(s),
        );
        return [compare(`hybrid view ${s['hybrid.cold']} cold + ${s['hybrid.hot']} hot × ${rows.toLocaleString('en-US')}`,
          t.ours, t.floor, '<= 1.1', { note: 'ours: tracker.sql over the view (freshness check included)' })];
      } finally {
        await raw.release();
      }
    } finally {
      await tracker.close();
    }
  },
};
