import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Tracker } from '../src/index';
import { DUCKDB_OPTIONS } from '../src/provenance/instance-registry';
import { silentLogger } from '../src/util/logger';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';
import { benchRowsSql, benchTable } from './data';
import { atomicWriteFloor } from './floors';

const ROWS = 10;

/**
 * An executed step returning a 10-row table (the common case: a small summary per year) against its
 * floor: DuckDB writing the same 10 rows to Parquet + one atomic write of a snapshot-sized file.
 * What is left is the framework's own cost per executed step (identity, run folder, hashing, record).
 */
export const smallStepBench: Bench = {
  name: 'small-step',
  async run(ctx) {
    const table = benchTable(ROWS);
    const tracker = await Tracker.open({ runDir: path.join(ctx.workDir, 'runs'), codeIdentity: 'class-source', logger: silentLogger });
    const instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    const conn = await instance.connect();
    try {
      await conn.run(`CREATE TABLE t AS ${benchRowsSql(ROWS)}`);
      const step = { name: 'bench_small_step', codeVersion: 'bench-1', outputs: ['summary'], cacheMode: 'overwrite' as const, fn: () => ({ summary: table }) };
      const first = await tracker.run(step);
      const snapshot = await fs.stat(path.join(path.dirname(first.outputs.summary.path), 'consist.json'));
      const floorDir = path.join(ctx.workDir, 'floor');
      const writeSnapshot = atomicWriteFloor(floorDir, snapshot.size);
      let n = 0;
      const t = await timePair(
        async () => {
          const r = await tracker.run(step);
          if (r.cacheHit || !r.outputs.summary) throw new Error('expected an executed step with a summary output');
        },
        async () => {
          const dir = path.join(floorDir, `p_${n++}`);
          await fs.mkdir(dir, { recursive: true });
          await conn.run(`COPY (SELECT * FROM t) TO '${path.join(dir, 'summary.parquet')}' (FORMAT parquet)`);
          await writeSnapshot();
        },
        reps(ctx.sizes, ctx.sizes['smallStep.reps']),
      );
      return [compare(`executed step, ${ROWS}-row table output`, t.ours, t.floor, '<= 2',
        { note: `floor: COPY of the same ${ROWS} rows to Parquet + one atomic write of ${snapshot.size} bytes (the snapshot's size)` })];
    } finally {
      conn.closeSync();
      instance.closeSync();
      await tracker.close();
    }
  },
};
