import { rmSync } from 'node:fs';
import { IsInt, Max } from 'class-validator';
import { Column } from '../../../src/index';
import { Table } from '../../../src/index';
import { isConsistError, SchemaValidationError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { writeParquetRows } from '../../helpers/data-files';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { Person } from '../../fixtures/person-table';

describe('ingestion', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace();
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  const logFile = async (id: string, rows: Record<string, unknown>[], key = 'persons', year = 2020): Promise<Artifact> => {
    const file = await writeParquetRows(ws.path('data', `${id}.parquet`), rows);
    return tracker.startRun(id, { year, iteration: 1 }, () => tracker.logArtifact(file, { key }));
  };
  const count = async (table: string) => Number((await tracker.sql<{ n: number }>(`SELECT count(*) AS n FROM hot."${table}"`))[0].n);

  it('loads a file with the system columns, once per artifact', async () => {
    const a = await logFile('r1', [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    expect(await tracker.ingest(a)).toEqual({ artifactId: a.id, table: 'persons', rowCount: 2, alreadyIngested: false });
    expect(await tracker.ingest(a.id)).toMatchObject({ rowCount: 2, alreadyIngested: true });
    const rows = await tracker.sql('SELECT id, v, consist_run_id, consist_artifact_id, consist_year, consist_iteration FROM hot.persons ORDER BY id');
    expect(rows[0]).toEqual({ id: 1, v: 'a', consist_run_id: 'r1', consist_artifact_id: a.id, consist_year: 2020, consist_iteration: 1 });
    expect(await tracker.sql('SELECT artifact_id, table_name, row_count FROM ingestion')).toEqual([{ artifact_id: a.id, table_name: 'persons', row_count: 2 }]);
  });

  it('adds columns that later artifacts bring (no schema)', async () => {
    await tracker.ingest(await logFile('r1', [{ id: 1 }]));
    await tracker.ingest(await logFile('r2', [{ id: 2, extra: 1.5 }]));
    expect(await tracker.sql('SELECT id, extra FROM hot.persons ORDER BY id')).toEqual([{ id: 1, extra: null }, { id: 2, extra: 1.5 }]);
  });

  it('ingests rows and Arrow data strictly against a @Table, casting to the declared types', async () => {
    const a = await logFile('r1', [{ person_id: 0, age: 0, number_of_trips: 0 }]);
    await tracker.ingest(a, { schema: Person, data: [{ person_id: 1, age: 30, number_of_trips: 2 }, { person_id: 2, age: 40, number_of_trips: 3.5 }] });
    const types = await tracker.sql(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'hot' AND table_name = 'person' ORDER BY ordinal_position`);
    expect(types.map((t) => `${t.column_name}:${t.data_type}`).slice(0, 3)).toEqual(['person_id:BIGINT', 'age:BIGINT', 'number_of_trips:DOUBLE']);
    expect(await tracker.sql('SELECT person_id, number_of_trips FROM hot.person ORDER BY 1')).toEqual([
      { person_id: 1, number_of_trips: 2 }, { person_id: 2, number_of_trips: 3.5 }]);
  });

  it('rejects bad rows with SCHEMA_VALIDATION_FAILED and writes nothing', async () => {
    const good = await logFile('r1', [{ person_id: 1, age: 30, number_of_trips: 1.0 }]);
    await tracker.ingest(good, { schema: Person });
    const bad = await logFile('r2', [
      { person_id: 2, age: 31, number_of_trips: 1.0 },
      { person_id: 3, age: -1, number_of_trips: 1.0 },
      { person_id: null, age: 2.5, number_of_trips: 1.5 },
    ]);
    const err = await tracker.ingest(bad, { schema: Person }).catch((e: unknown) => e);
    expect(isConsistError(err) && err.code).toBe('SCHEMA_VALIDATION_FAILED');
    const violations = (err as SchemaValidationError).violations.map((v) => `${v.row}:${v.column}:${v.constraint}`);
    expect(violations).toEqual(['1:age:min', '2:person_id:notNull', '2:age:type']);
    expect(await count('person')).toBe(1);
    expect(await tracker.sql('SELECT count(*) AS n FROM ingestion')).toEqual([{ n: 1 }]);
  });

  it('rejects undeclared columns and custom class-validator rules', async () => {
    @Table({ name: 'small' })
    class Small {
      @Column() @IsInt() @Max(10) n!: number;
    }
    const a = await logFile('r1', [{ n: 1 }]);
    const err = await tracker.ingest(a, { schema: Small, data: [{ n: 11 }, { n: 1, surprise: true }, { n: 'many' }] }).catch((e: unknown) => e);
    expect((err as SchemaValidationError).violations.map((v) => `${v.row}:${v.column}:${v.constraint}`))
      .toEqual(['0:n:max', '1:surprise:undeclaredColumn', '2:n:type']);
    const tables = await tracker.sql(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'hot'`);
    expect(tables).toEqual([]);
  });

  it('rebuilds a deleted file from its ingested rows on load (dbFallback)', async () => {
    const a = await logFile('r1', [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
    await tracker.ingest(a);
    rmSync(a.path);
    const table = await tracker.load(a.id);
    expect(table.numRows).toBe(2);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'v']);
    await expect(tracker.load(a.id, { dbFallback: 'never' })).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    await expect(tracker.load(a.id, { dbFallback: 'inputs-only' })).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
  });

  it('fails with ARTIFACT_NOT_FOUND when the file is gone and the artifact was never ingested', async () => {
    const a = await logFile('r1', [{ id: 1 }]);
    rmSync(a.path);
    await expect(tracker.load(a)).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
  });
});
