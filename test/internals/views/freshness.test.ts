import { Tracker } from '../../../src/index';
// Counts DB units below the public API (the tracker's services), hence an internals test.
import type { TrackerServices } from '../../../src/di/tracker-services';
import { writeParquetRows } from '../../helpers/data-files';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const units = (t: Tracker) => (t as unknown as { services: TrackerServices }).services.db.lockStats.units;

async function logTrips(tracker: Tracker, ws: Workspace, year: number) {
  const file = await writeParquetRows(ws.path('data', `trips_${year}.parquet`), [{ trip_id: year, dist: 1.5 }, { trip_id: year + 1, dist: 2 }]);
  return tracker.startRun(`trips_${year}`, { year }, () => tracker.logArtifact(file, { key: 'trips' }));
}
const count = async (t: Tracker) => Number((await t.sql('SELECT count(*) AS n FROM v_trips'))[0].n);

describe.each(['exclusive', 'shared'] as const)('hybrid views stay current without a catalog check per query where none is needed (%s)', (lockMode) => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-fresh-');
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', lockMode });
    await logTrips(tracker, ws, 2020);
    await tracker.createView('v_trips', 'trips');
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('sees runs recorded since the last query, and reads without a check only as the sole writer', async () => {
    expect(await count(tracker)).toBe(2);
    await logTrips(tracker, ws, 2021); // the run's rows are committed by the read barrier of the next query
    expect(await count(tracker)).toBe(4); // the view was rebuilt; the next query checks once more
    expect(await count(tracker)).toBe(4);
    const before = units(tracker);
    for (let i = 0; i < 3; i++) expect(await count(tracker)).toBe(4);
    // exclusive: one unit per query (the check is skipped); shared: the check and the query each time
    expect(units(tracker) - before).toBe(lockMode === 'exclusive' ? 3 : 6);
  });

  it('checks again after a statement that is not a SELECT changed the catalog', async () => {
    await logTrips(tracker, ws, 2021);
    expect(await count(tracker)).toBe(4);
    const [gone] = await tracker.sql<{ id: string }>("SELECT id FROM artifact WHERE key = 'trips' ORDER BY created_at DESC LIMIT 1");
    await tracker.sql('DELETE FROM run_artifact_link WHERE artifact_id = ?', [gone.id]);
    expect(await count(tracker)).toBe(4); // the file is still an artifact of the catalog
    await tracker.sql('DELETE FROM artifact WHERE id = ?', [gone.id]);
    expect(await count(tracker)).toBe(2);
  });

  it('rejects a bad statement with DB_QUERY_FAILED and keeps answering afterwards', async () => {
    expect(await count(tracker)).toBe(2);
    await expect(tracker.sql('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    await logTrips(tracker, ws, 2022);
    expect(await count(tracker)).toBe(4);
  });
});
