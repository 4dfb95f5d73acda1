import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import * as path from 'node:path';
import type { Artifact } from '../../../src/model';
import { ConnectionExecutor, inTransaction } from '../../../src/provenance/executor';
import { migrate } from '../../../src/provenance/migrations';
import { syncSnapshots } from '../../../src/provenance/snapshot-sync';
import { ActiveRun } from '../../../src/recording/active-run';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** Runs with every kind of row: facets (run_config_kv, config_facet), outputs with facets (artifact_kv), raw inputs, tags, years. */
function snapshots(n: number) {
  const raw: Artifact = {
    id: 'a_raw', key: 'zones', uri: 'inputs://zones.csv', path: '/x/zones.csv', driver: 'csv', hash: 'sha256:00', size: 12,
    runId: null, schemaId: null, meta: { note: 'ünïcode "quoted"' }, createdAt: '2026-12-01T10:00:00.123Z',
  };
  return Array.from({ length: n }, (_, i) => {
    const run = new ActiveRun({
      id: `run_${i}`, kind: 'step', name: 'assign', model: i % 2 ? 'asim' : null, year: 2020 + i, iteration: i % 3 ? i : undefined,
      tags: ['a', `t${i}`], facet: { scenario: `s${i % 4}`, weight: i * 0.1, on: i % 2 === 0, nested: { k: [1, 2] } }, config: { n: i },
    }, memoryLogger());
    run.link(raw, 'zones', 'input');
    for (let j = 0; j < 4; j++) {
      run.link({ ...raw, id: `a_${i}_${j}`, key: `out_${j}`, uri: `outputs://run_${i}/out_${j}.parquet`, driver: 'parquet', hash: null,
        size: i * 1000 + j, runId: `run_${i}`, meta: { facet: { rows: i * j, label: `l${j}` } } }, `out_${j}`, 'output');
    }
    run.finish(i % 5 === 4 ? 'failed' : 'completed', i % 5 === 4 ? new Error(`boom ${i}`) : undefined);
    return run.snapshot();
  });
}

const TABLES = ['run', 'artifact', 'run_artifact_link', 'run_config_kv', 'artifact_kv', 'config_facet'];

describe('bulk inserts of snapshot rows (VALUES for small sets, an appender-fed temp table for large ones)', () => {
  let ws: Workspace;
  const open: Array<{ instance: DuckDBInstance; conn: DuckDBConnection }> = [];
  const db = async (name: string) => {
    const instance = await DuckDBInstance.create(path.join(ws.dir, `${name}.duckdb`));
    const conn = await instance.connect();
    open.push({ instance, conn });
    await migrate(new ConnectionExecutor(conn));
    return new ConnectionExecutor(conn);
  };
  const dump = async (tx: ConnectionExecutor) => Object.fromEntries(await Promise.all(TABLES.map(async (t) =>
    [t, JSON.stringify(await tx.all(`SELECT * FROM ${t} ORDER BY ALL`), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))])));
  beforeEach(() => { ws = tmpWorkspace('consist-bulk-'); });
  afterEach(() => {
    for (const { conn, instance } of open.splice(0)) { conn.closeSync(); instance.closeSync(); }
    ws.cleanup();
  });

  it('writes the same rows either way, fresh and re-synced', async () => {
    const snaps = snapshots(40);
    const staged = await db('staged');
    const values = await db('values');
    await inTransaction(staged, () => syncSnapshots(staged, snaps, { fresh: true, stageMinValues: 0 }));
    await inTransaction(values, () => syncSnapshots(values, snaps, { fresh: true, stageMinValues: Number.POSITIVE_INFINITY }));
    const expected = await dump(values);
    expect(JSON.parse(expected.run)).toHaveLength(40);
    expect(JSON.parse(expected.run_config_kv).length).toBeGreaterThan(100);
    expect(await dump(staged)).toEqual(expected);
    // A re-sync replaces the runs' rows (DELETE then INSERT, OR REPLACE for owned artifacts): same result.
    await inTransaction(staged, () => syncSnapshots(staged, snaps, { stageMinValues: 0 }));
    expect(await dump(staged)).toEqual(expected);
  });

  it('fails a staged INSERT that conflicts with DB_QUERY_FAILED and leaves neither rows nor staged rows behind', async () => {
    const snaps = snapshots(30);
    const tx = await db('conflict');
    await inTransaction(tx, () => syncSnapshots(tx, snaps.slice(0, 1), { fresh: true, stageMinValues: 0 })); // creates the temp tables
    const before = await dump(tx);
    // A wrong "fresh" hint: run_0 has rows, so the plain INSERT of the run rows conflicts.
    await expect(inTransaction(tx, () => syncSnapshots(tx, snaps, { fresh: true, stageMinValues: 0 })))
      .rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    expect(await dump(tx)).toEqual(before);
    expect(await tx.all('SELECT * FROM temp.consist_stage_run')).toEqual([]);
    // The same connection stages again afterwards.
    await inTransaction(tx, () => syncSnapshots(tx, snaps, { stageMinValues: 0 }));
    expect(JSON.parse((await dump(tx)).run)).toHaveLength(30);
  });
});
