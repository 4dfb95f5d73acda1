import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Column, Table, Tracker } from '../src/index';
import { DUCKDB_OPTIONS } from '../src/provenance/instance-registry';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { rawConnection } from './seed';
import { coldHotFloorSql } from './floors';

/** The schema every file of the sweep is logged with (`tracker.views.Trip` → `v_trip`). */
@Table({ name: 'trip' })
class Trip {
  @Column({ type: 'BIGINT' }) id!: number;
  @Column({ type: 'INTEGER' }) zone!: number;
  @Column({ type: 'DOUBLE' }) dist!: number;
}

const TRIP_SQL = (rows: number, seed: number) =>
  `SELECT (i + ${seed * rows})::BIGINT AS id, (i % 1000)::INTEGER AS zone, (i % 997) * 0.25 AS dist FROM range(${rows}) t(i)`;
const QUERY = 'SELECT consist_year, count(*) AS n, sum(dist) AS total FROM v_trip GROUP BY consist_year ORDER BY consist_year';

/** Writes `count` small Parquet files (what a sweep leaves behind: many files, few rows each). */
async function writeFiles(dir: string, count: number, rows: number): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
  const conn = await instance.connect();
  try {
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
      files.push(path.join(dir, `trip_${i}.parquet`));
      await conn.run(`COPY (${TRIP_SQL(rows, i)}) TO '${files[i]}' (FORMAT parquet)`);
    }
    return files;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * `tracker.views.Trip` over N cold Parquet files (one producing run each) + ingested hot rows,
 * against a hand-written `read_parquet` of the same files: file count is what grows in real sweeps.
 */
export const manyFilesBench: Bench = {
  name: 'many-files',
  async run(ctx) {
    const s = ctx.sizes;
    const count = s['manyFiles.cold'];
    const rows = s['manyFiles.rowsPerFile'];
    const files = await writeFiles(ctx.workDir, count + 1, rows);
    const tracker = await Tracker.open({
      runDir: path.join(ctx.workDir, 'runs'), codeIdentity: 'class-source', logger: silentLogger, hashing: 'fast', schemas: { Trip },
    });
    try {
      const cold: { path: string; year: number }[] = [];
      for (const [i, file] of files.entries()) {
        const year = 2020 + (i % 5);
        await tracker.startRun(`bench_sweep_${i}`, { year }, async () => {
          const artifact = await tracker.logArtifact(file, { key: 'trips', direction: 'output', schema: Trip });
          if (i === count) await tracker.ingest(artifact, { schema: Trip });
          else cold.push({ path: artifact.path, year });
        });
      }
      const raw = await rawConnection(tracker.dbPath);
      try {
        const floor = coldHotFloorSql(cold, 'SELECT id, zone, dist, consist_year FROM hot.trip');
        const total = (rs: readonly Record<string, unknown>[]) => rs.reduce((a, r) => a + Number(r.n), 0);
        if ((await tracker.views.Trip.count()) !== rows * files.length) throw new Error('views.Trip misses rows');
        const got = total(await tracker.sql(QUERY));
        const expected = total((await raw.conn.runAndReadAll(floor)).getRowObjectsJS());
        if (got !== expected || got !== rows * files.length) throw new Error(`view has ${got} rows, floor ${expected}`);
        const t = await timePair(
          () => tracker.sql(QUERY),
          async () => (await raw.conn.runAndReadAll(floor)).getRowObjectsJS(),
          reps(s),
        );
        return [compare(`views.Trip over ${count.toLocaleString('en-US')} cold files + hot rows`, t.ours, t.floor, '<= 1.1',
          { note: `${rows} rows per file; ours: tracker.sql over v_trip (freshness check included); floor: one hand-written read_parquet of the same files UNION ALL the hot rows` })];
      } finally {
        await raw.release();
      }
    } finally {
      await tracker.close();
    }
  },
};
