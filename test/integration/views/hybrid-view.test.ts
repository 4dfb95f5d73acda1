import { rmSync } from 'node:fs';
import { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { writeParquetRows } from '../../helpers/data-files';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { Person } from '../../fixtures/person-table';

const SCENARIOS = ['sc_a', 'sc_b'];
const YEARS = [2020, 2021, 2022];

async function openTracker(ws: Workspace, logger = memoryLogger()) {
  return Tracker.open({ runDir: ws.path('runs'), logger, codeIdentity: 'class-source', schemas: { Person } });
}

async function logPersons(tracker: Tracker, ws: Workspace, scenario: string, year: number, rows?: Record<string, unknown>[]): Promise<Artifact> {
  const file = await writeParquetRows(ws.path('data', `${scenario}_${year}.parquet`), rows ?? [
    { person_id: 1, age: year - 2000, number_of_trips: 1.5 },
    { person_id: 2, age: year - 1990, number_of_trips: 2.5 },
  ]);
  return tracker.startRun(`${scenario}_${year}`, { parentRunId: scenario, year, iteration: 0 },
    () => tracker.logArtifact(file, { key: `persons_${scenario}_${year}`, schema: Person }));
}

describe('hybrid views', () => {
  let ws: Workspace;
  let tracker: Tracker<{ Person: typeof Person }>;
  beforeEach(async () => {
    ws = tmpWorkspace();
    tracker = await openTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('returns every row of cold and hot artifacts of two scenarios x three years exactly once', async () => {
    const artifacts: Artifact[] = [];
    for (const sc of SCENARIOS) for (const year of YEARS) artifacts.push(await logPersons(tracker, ws, sc, year));
    for (const a of artifacts.filter((_, i) => i % 2 === 0)) await tracker.ingest(a, { schema: Person });
    const rows = await tracker.views.Person.rows();
    expect(rows).toHaveLength(12);
    const perArtifact = new Map<string, number>();
    for (const r of rows) perArtifact.set(r.consist_artifact_id as string, (perArtifact.get(r.consist_artifact_id as string) ?? 0) + 1);
    expect([...perArtifact.values()]).toEqual(Array(6).fill(2));
    for (const a of artifacts) {
      const mine = rows.filter((r) => r.consist_artifact_id === a.id);
      const [sc, year] = a.runId!.split(/_(?=\d)/);
      expect(mine.map((r) => [r.consist_run_id, r.consist_year, r.consist_iteration, r.consist_scenario_id]))
        .toEqual([[a.runId, Number(year), 0, sc], [a.runId, Number(year), 0, sc]]);
    }
    expect(await tracker.views.Person.count()).toBe(12);
  });

  it('keeps the cold files\' provenance in a metadata table rewritten with the view, not inline in the view', async () => {
    const first = await logPersons(tracker, ws, 'sc_a', 2020);
    expect(await tracker.views.Person.count()).toBe(2);
    const meta = () => tracker.sql<{ fpath: string; artifact_id: string }>('SELECT fpath, artifact_id FROM consist_meta."v_person__parquet" ORDER BY fpath');
    expect((await meta()).map((m) => m.artifact_id)).toEqual([first.id]);
    const second = await logPersons(tracker, ws, 'sc_a', 2021);
    expect((await meta()).map((m) => m.artifact_id)).toEqual([first.id, second.id]);
    const [view] = await tracker.sql<{ sql: string }>("SELECT sql FROM duckdb_views() WHERE view_name = 'v_person'");
    expect(view.sql).toContain('consist_meta');
    expect(view.sql).not.toContain(first.id); // the ids live in the table, so the view's text does not grow with files
  });

  it('sees artifacts logged and ingested after the view was first used', async () => {
    const first = await logPersons(tracker, ws, 'sc_a', 2020);
    expect(await tracker.views.Person.count()).toBe(2);
    await logPersons(tracker, ws, 'sc_a', 2021);
    expect(await tracker.views.Person.count()).toBe(4);
    await tracker.ingest(first, { schema: Person });
    expect(await tracker.views.Person.count()).toBe(4);
    const viaSql = await tracker.sql<{ n: number }>('SELECT count(*) AS n FROM v_person');
    expect(viaSql[0].n).toBe(4);
  });

  it('fills columns missing on either side with NULL (schema drift both ways)', async () => {
    const cold = await writeParquetRows(ws.path('data', 'cold.parquet'), [{ person_id: 1, age: 10, cold_only: 'x' }]);
    await tracker.startRun('r_cold', { year: 2010 }, () => tracker.logArtifact(cold, { key: 'person' }));
    const hotFile = await writeParquetRows(ws.path('data', 'hot.parquet'), [{ person_id: 2, age: 20, persons: 3 }]);
    const hot = await tracker.startRun('r_hot', { year: 2011 }, () => tracker.logArtifact(hotFile, { key: 'person' }));
    await tracker.ingest(hot);
    const rows = await tracker.sql('SELECT person_id, cold_only, persons, consist_year FROM v_person ORDER BY person_id');
    expect(rows).toEqual([
      { person_id: 1, cold_only: 'x', persons: null, consist_year: 2010 },
      { person_id: 2, cold_only: null, persons: 3, consist_year: 2011 },
    ]);
  });

  it('reads CSV and JSON-lines artifacts cold beside Parquet, with their run metadata', async () => {
    await tracker.startRun('r_parquet', { year: 2020 }, async () =>
      tracker.logArtifact(await writeParquetRows(ws.path('data', 'p.parquet'), [{ person_id: 1, age: 30 }]), { key: 'person' }));
    await tracker.startRun('r_csv', { year: 2021 }, async () =>
      tracker.logArtifact(ws.file('data/c.csv', 'person_id,age\n2,40\n'), { key: 'person' }));
    await tracker.startRun('r_json', { year: 2022 }, async () =>
      tracker.logArtifact(ws.file('data/j.jsonl', '{"person_id": 3, "age": 50}\n{"person_id": 4, "age": 60}\n'), { key: 'person' }));
    const rows = await tracker.sql('SELECT person_id, age, consist_run_id, consist_year FROM v_person ORDER BY person_id');
    expect(rows.map((r) => ({ ...r, person_id: Number(r.person_id), age: Number(r.age) }))).toEqual([
      { person_id: 1, age: 30, consist_run_id: 'r_parquet', consist_year: 2020 },
      { person_id: 2, age: 40, consist_run_id: 'r_csv', consist_year: 2021 },
      { person_id: 3, age: 50, consist_run_id: 'r_json', consist_year: 2022 },
      { person_id: 4, age: 60, consist_run_id: 'r_json', consist_year: 2022 },
    ]);
  });

  it('creates a typed empty view when nothing matches, and a manual view over an unknown key', async () => {
    expect(await tracker.views.Person.count()).toBe(0);
    const cols = await tracker.sql(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'v_person' ORDER BY ordinal_position`);
    expect(cols.map((c) => `${c.column_name}:${c.data_type}`)).toEqual([
      'consist_run_id:VARCHAR', 'consist_artifact_id:VARCHAR', 'consist_year:INTEGER', 'consist_iteration:INTEGER',
      'consist_scenario_id:VARCHAR', 'person_id:BIGINT', 'age:BIGINT', 'number_of_trips:DOUBLE']);
    const unknown = await tracker.createView('v_nothing', 'no_such_key');
    expect(await unknown.count()).toBe(0);
  });

  it('skips missing cold files with a warning', async () => {
    const logger = memoryLogger();
    await tracker.close();
    tracker = await openTracker(ws, logger);
    const a = await logPersons(tracker, ws, 'sc_a', 2020);
    await logPersons(tracker, ws, 'sc_a', 2021);
    rmSync(a.path);
    expect(await tracker.views.Person.count()).toBe(2);
    expect(logger.warnings.some((w) => w.includes('skipping missing file'))).toBe(true);
  });

  it('offers typed Kysely queries and Arrow output', async () => {
    await logPersons(tracker, ws, 'sc_a', 2020);
    const ages = await tracker.views.Person.query().select(['age', 'consist_year']).where('age', '>', 25).execute();
    expect(ages).toEqual([{ age: 30, consist_year: 2020 }]);
    const arrow = await tracker.views.Person.toArrow();
    expect(arrow.numRows).toBe(2);
    expect(await tracker.views.Person.rows({ person_id: 2 })).toHaveLength(1);
    const runs = await tracker.db.selectFrom('run').select('id').execute();
    expect(runs.map((r) => r.id)).toEqual(['sc_a_2020']);
  });
});
