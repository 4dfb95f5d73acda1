import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { rebuild } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import { Person } from '../../fixtures/person-table';
import { writeParquetRows } from '../../helpers/data-files';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

type Rows = Record<string, unknown>[];
const SCHEMA_SQL = {
  schemas: 'SELECT id, table_name, field_count, source FROM artifact_schema ORDER BY id',
  fields: 'SELECT schema_id, position, name, type, nullable FROM artifact_schema_field ORDER BY schema_id, position',
  observations: 'SELECT artifact_id, schema_id, source FROM artifact_schema_observation ORDER BY ALL',
};

async function schemaRows(tracker: Tracker): Promise<Record<keyof typeof SCHEMA_SQL, Rows>> {
  return {
    schemas: await tracker.sql(SCHEMA_SQL.schemas),
    fields: await tracker.sql(SCHEMA_SQL.fields),
    observations: await tracker.sql(SCHEMA_SQL.observations),
  };
}

describe('schemas survive a lost database (.consist/schemas + rebuild)', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace(); });
  afterEach(() => ws.cleanup());

  /** A declared @Table schema, a profiled file schema, and an ingestion observation. */
  async function record(): Promise<{ before: Awaited<ReturnType<typeof schemaRows>>; profiledId: string; personId: string }> {
    const tracker = await openTestTracker(ws);
    try {
      const zones = await writeParquetRows(ws.path('data', 'zones.parquet'), [{ zone_id: 1, area: 2.5 }]);
      const persons = await writeParquetRows(ws.path('data', 'persons.parquet'), [{ person_id: 1, age: 30, number_of_trips: 2 }]);
      const profiled = await tracker.startRun('r1', {}, () => tracker.logArtifact(zones, { key: 'zones', profileSchema: true }));
      const declared = await tracker.startRun('r2', {}, () => tracker.logArtifact(persons, { key: 'persons', schema: Person }));
      await tracker.ingest(declared, { schema: Person });
      return { before: await schemaRows(tracker), profiledId: profiled.schemaId!, personId: declared.schemaId! };
    } finally {
      await tracker.close();
    }
  }

  it('restores every schema, field and observation after the DB file is deleted', async () => {
    const { before, profiledId, personId } = await record();
    expect(before.schemas.map((r) => r.id)).toEqual(expect.arrayContaining([profiledId, personId]));
    expect(before.observations.length).toBeGreaterThan(0);
    const files = readdirSync(ws.path('runs', '.consist', 'schemas')).filter((n) => n.endsWith('.json')).sort();
    expect(files).toEqual([`${profiledId}.json`, `${personId}.json`].sort());

    rmSync(ws.path('runs', 'provenance.duckdb'));
    const report = await rebuild(ws.path('runs'), ws.path('runs', 'provenance.duckdb'));
    expect(report).toMatchObject({ runs: 2, schemas: 2, observations: before.observations.length, errors: [] });

    const tracker = await openTestTracker(ws);
    try {
      expect(await schemaRows(tracker)).toEqual(before);
      expect(await tracker.exportSchema(profiledId)).toContain('zone_id');
    } finally {
      await tracker.close();
    }
  });

  it('reports an unreadable schema file in errors and restores the others', async () => {
    const { profiledId, personId } = await record();
    writeFileSync(path.join(ws.path('runs', '.consist', 'schemas'), `${profiledId}.json`), '{ truncated');
    rmSync(ws.path('runs', 'provenance.duckdb'));
    const report = await rebuild(ws.path('runs'), ws.path('runs', 'provenance.duckdb'));
    expect(report.errors).toEqual([{ id: `schema:${profiledId}`, error: expect.any(String) }]);
    expect(report.schemas).toBe(1);
    const tracker = await openTestTracker(ws);
    try {
      expect((await tracker.sql('SELECT id FROM artifact_schema')).map((r) => r.id)).toEqual([personId]);
      await expect(tracker.exportSchema(profiledId)).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND' });
    } finally {
      await tracker.close();
    }
  });
});
