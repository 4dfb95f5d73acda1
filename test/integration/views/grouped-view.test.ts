import { rmSync } from 'node:fs';
import { isConsistError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import { writeParquetRows } from '../../helpers/data-files';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { Person } from '../../fixtures/person-table';

const codeOf = (e: unknown) => (isConsistError(e) ? e.code : e);

describe('grouped views', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let logger: ReturnType<typeof memoryLogger>;
  beforeEach(async () => {
    ws = tmpWorkspace();
    logger = memoryLogger();
    tracker = await openTestTracker(ws, { logger });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  const logIteration = async (iter: number, facet: Record<string, unknown>, opts: { profile?: boolean } = {}): Promise<Artifact> => {
    const file = await writeParquetRows(ws.path('data', `linkstats_${iter}.parquet`), [{ link_id: iter, volume: iter + 0.5 }]);
    return tracker.startRun(`beam_${iter}`, { model: 'beam', year: 2018, iteration: iter, parentRunId: 'sweep' },
      () => tracker.logArtifact(file, { key: `linkstats_iter_${iter}`, profileSchema: opts.profile ?? true, facet, facetNamespace: 'beam' }));
  };

  it('selects artifacts of one schema id by facet predicates, with typed facet columns', async () => {
    const a0 = await logIteration(0, { artifact_family: 'linkstats', year: 2018, iteration: 0, phys_sim_iteration: 0.5, flag: true });
    const a1 = await logIteration(1, { artifact_family: 'linkstats', year: 2018, iteration: 1, phys_sim_iteration: 1, flag: false });
    await logIteration(2, { artifact_family: 'other', year: 2018, iteration: 2 });
    expect(a0.schemaId).toBe(a1.schemaId);
    const view = await tracker.createGroupedView('v_linkstats_all', {
      schemaId: a0.schemaId!, namespace: 'beam', params: ['artifact_family=linkstats', 'beam.year>=2018', 'iteration<=1'],
      drivers: ['parquet'], attachFacets: ['artifact_family', 'iteration', 'phys_sim_iteration', 'flag'],
    });
    const rows = await tracker.sql('SELECT * FROM v_linkstats_all ORDER BY link_id');
    expect(rows.map((r) => [r.link_id, r.consist_artifact_id, r.facet_iteration, r.facet_phys_sim_iteration, r.facet_flag, r.consist_scenario_id]))
      .toEqual([[0, a0.id, 0, 0.5, true, 'sweep'], [1, a1.id, 1, 1, false, 'sweep']]);
    const types = await tracker.sql(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'v_linkstats_all' AND column_name LIKE 'facet_%' ORDER BY column_name`);
    expect(types).toEqual([
      { column_name: 'facet_artifact_family', data_type: 'VARCHAR' }, { column_name: 'facet_flag', data_type: 'BOOLEAN' },
      { column_name: 'facet_iteration', data_type: 'BIGINT' }, { column_name: 'facet_phys_sim_iteration', data_type: 'DOUBLE' }]);
    expect(await view.count()).toBe(2);
  });

  it('unions an ingested and a cold artifact in hybrid mode, and each side alone in hot_only / cold_only', async () => {
    const a0 = await logIteration(0, { iteration: 0 });
    await logIteration(1, { iteration: 1 });
    await tracker.ingest(a0);
    const opts = { schemaId: a0.schemaId!, attachFacets: ['iteration'] };
    const hybrid = await tracker.createGroupedView('v_h', opts);
    expect((await hybrid.rows()).map((r) => r.facet_iteration).sort()).toEqual([0, 1]);
    expect(await (await tracker.createGroupedView('v_hot', { ...opts, mode: 'hot_only' })).count()).toBe(1);
    expect(await (await tracker.createGroupedView('v_cold', { ...opts, mode: 'cold_only' })).count()).toBe(2);
  });

  it('handles missingFiles warn / skip_silent / error', async () => {
    const a0 = await logIteration(0, { iteration: 0 });
    rmSync(a0.path);
    const v = await tracker.createGroupedView('v_warn', { schemaId: a0.schemaId! });
    expect(await v.count()).toBe(0);
    expect(logger.warnings.filter((w) => w.includes('Skipping missing artifact'))).toHaveLength(1);
    await tracker.createGroupedView('v_silent', { schemaId: a0.schemaId!, missingFiles: 'skip_silent' });
    expect(logger.warnings.filter((w) => w.includes('Skipping missing artifact'))).toHaveLength(1);
    const err = await tracker.createGroupedView('v_err', { schemaId: a0.schemaId!, missingFiles: 'error' }).catch((e) => e);
    expect(codeOf(err)).toBe('VIEW_FILES_MISSING');
  });

  it('handles ifExists replace / error, and quotes hostile names', async () => {
    const a0 = await logIteration(0, { iteration: 0 });
    const hostile = 'v"; DROP TABLE run; --';
    await tracker.createGroupedView(hostile, { schemaId: a0.schemaId! });
    await tracker.createGroupedView(hostile, { schemaId: a0.schemaId!, ifExists: 'replace' });
    const err = await tracker.createGroupedView(hostile, { schemaId: a0.schemaId!, ifExists: 'error' }).catch((e) => e);
    expect(codeOf(err)).toBe('VIEW_EXISTS');
    expect(await tracker.sql('SELECT count(*) AS n FROM run')).toEqual([{ n: 1 }]);
    expect(await tracker.sql(`SELECT count(*) AS n FROM "v""; DROP TABLE run; --"`)).toEqual([{ n: 1 }]);
  });

  it('rejects invalid selections and predicates with typed codes', async () => {
    await expect(tracker.createGroupedView('v', {})).rejects.toMatchObject({ code: 'VIEW_SELECTION_INVALID' });
    await expect(tracker.createGroupedView('v', { schemaId: 'x', schema: Person })).rejects.toMatchObject({ code: 'VIEW_SELECTION_INVALID' });
    await expect(tracker.createGroupedView('v', { schemaId: 'x', mode: 'warm' as never })).rejects.toMatchObject({ code: 'VIEW_SELECTION_INVALID' });
    await expect(tracker.createGroupedView('v', { schemaId: 'x', params: ['broken'] })).rejects.toMatchObject({ code: 'FACET_PREDICATE_INVALID' });
    await expect(tracker.createGroupedView('', { schemaId: 'x' })).rejects.toMatchObject({ code: 'VIEW_NAME_INVALID' });
  });

  it('selects by @Table class, with a typed empty view when nothing matches, and widens with schemaCompatible', async () => {
    const empty = await tracker.createGroupedView('v_person_all', { schema: Person });
    expect(await empty.count()).toBe(0);
    const cols = await tracker.sql(`SELECT column_name FROM information_schema.columns WHERE table_name = 'v_person_all' ORDER BY ordinal_position`);
    expect(cols.map((c) => c.column_name)).toEqual(expect.arrayContaining(['person_id', 'age', 'number_of_trips', 'consist_scenario_id']));
    const exact = await writeParquetRows(ws.path('p1.parquet'), [{ person_id: 1, age: 3, number_of_trips: 1.5 }]);
    const subset = await writeParquetRows(ws.path('p2.parquet'), [{ person_id: 2, age: 4 }]);
    await tracker.startRun('p1', {}, () => tracker.logArtifact(exact, { key: 'person', profileSchema: true }));
    await tracker.startRun('p2', {}, () => tracker.logArtifact(subset, { key: 'person', profileSchema: true }));
    const other = await writeParquetRows(ws.path('p3.parquet'), [{ person_id: 3 }]);
    await tracker.startRun('p3', {}, () => tracker.logArtifact(other, { key: 'household', profileSchema: true }));
    expect(await (await tracker.createGroupedView('v_p', { schema: Person })).count()).toBe(1);
    expect(await (await tracker.createGroupedView('v_p', { schema: Person, schemaCompatible: true })).count()).toBe(2);
  });
});
