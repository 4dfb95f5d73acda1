import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Tracker } from '../src/tracker/tracker';
import { DUCKDB_OPTIONS } from '../src/provenance/instance-registry';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { benchRowsSql, benchTable } from './data';

/**
 * A step returning a 1M × 5 Arrow table, which becomes a Parquet artifact in its run folder
 * (`cacheMode: 'overwrite'`, so it executes every time), against DuckDB writing the same rows,
 * already in a DuckDB table, with `COPY … TO 'x.parquet'`.
 */
export const tableOutputBench: Bench = {
  name: 'table-output',
  async run(ctx) {
    const rows = ctx.sizes['tableOutput.rows'];
    const table = benchTable(rows);
    const tracker = await Tracker.open({ runDir: path.join(ctx.workDir, 'runs'), codeIdentity: 'class-source', logger: silentLogger });
    const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    const conn = await instance.connect();
    try {
      await conn.run(`CREATE TABLE t AS ${benchRowsSql(rows)}`);
      const threads = String((await conn.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJS()[0].t);
      const floorFile = path.join(ctx.workDir, 'floor.parquet');
      const written: string[] = [];
      const step = { name: 'bench_table_output', codeVersion: 'bench-1', outputs: ['trips'], cacheMode: 'overwrite' as const, fn: () => ({ trips: table }) };
      const t = await timePair(
        async () => {
          const r = await tracker.run(step);
          if (r.cacheHit || !r.outputs.trips) throw new Error('expected an executed step with a trips output');
          written.push(path.dirname(r.outputs.trips.path));
        },
        async () => {
          await conn.run(`COPY (SELECT * FROM t) TO '${floorFile}' (FORMAT parquet)`);
        },
        reps(ctx.sizes),
      );
      await Promise.all(written.map((d) => fs.rm(d, { recursive: true, force: true })));
      return [compare(`table output ${rows.toLocaleString('en-US')} rows → Parquet`, t.ours, t.floor, '<= 1.5',
        { note: `ours: tracker.run step returning the Arrow table (write + hash + record); floor: COPY of the same rows; ` +
          `COPY threads: ${threads} on both sides (DuckDB's default, the number of cores; the native writer's own DuckDB and the floor's); hashing: 1 thread` })];
    } finally {
      conn.closeSync();
      instance.closeSync();
      await tracker.close();
    }
  },
};
