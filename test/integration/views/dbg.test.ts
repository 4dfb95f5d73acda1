import { writeParquetRows } from '../../helpers/data-files';
import { openTestTracker, tmpWorkspace } from '../../helpers/workspace';
import { Person } from '../../fixtures/person-table';
it('dbg', async () => {
  const ws = tmpWorkspace(); const tracker = await openTestTracker(ws);
  const exact = await writeParquetRows(ws.path('p1.parquet'), [{ person_id: 1, age: 3, number_of_trips: 1.5 }]);
  await tracker.startRun('p', {}, () => tracker.logArtifact(exact, { key: 'person', profileSchema: true }));
  await tracker.createGroupedView('v_p', { schema: Person });
  console.log(await tracker.sql(`select sql from duckdb_views() where view_name='v_p'`));
  await tracker.close();
});
