/**
 * API.md §11 query helpers: diffRuns, findLatestRun, getArtifact by id / URI / key / { key, runId },
 * findArtifacts, lineage by key + run or URI, pivotFacets as a View with a namespace — and the
 * migration that re-indexes facets of a database written before namespaces followed the model.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { isConsistError, Tracker, type StepContext } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const codeOf = (e: unknown) => (isConsistError(e) ? e.code : e);

describe('query helpers', () => {
  let ws: Workspace;
  let tracker: Tracker;
  const open = () => Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
  const simulate = (iteration: number, alpha: number) => tracker.run({
    name: 'simulate', model: 'simulate', iteration, config: { alpha, mode: 'fast', nested: { k: iteration } }, facetFrom: ['alpha'],
    facet: { label: `it${iteration}` },
    fn: async (_in, ctx: StepContext) => ({ result: { data: [{ v: alpha }], facet: { iteration, alpha } } }),
  });
  beforeEach(async () => {
    ws = tmpWorkspace();
    tracker = await open();
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('diffRuns compares config and facets, with prefix, namespace and includeEqual', async () => {
    const a = (await simulate(1, 0.5)).run.id;
    const b = (await simulate(2, 0.7)).run.id;
    const { changes } = await tracker.diffRuns(a, b);
    expect(changes).toEqual({
      'config.alpha': { a: 0.5, b: 0.7 }, 'config.nested.k': { a: 1, b: 2 },
      'facet.alpha': { a: 0.5, b: 0.7 }, 'facet.label': { a: 'it1', b: 'it2' },
    });
    expect(Object.keys((await tracker.diffRuns(a, b, { prefix: 'alpha' })).changes)).toEqual(['config.alpha', 'facet.alpha']);
    expect(Object.keys((await tracker.diffRuns(a, b, { prefix: 'facet.' })).changes)).toEqual(['facet.alpha', 'facet.label']);
    expect(Object.keys((await tracker.diffRuns(a, b, { namespace: 'other' })).changes)).toEqual(['config.alpha', 'config.nested.k']);
    expect((await tracker.diffRuns(a, b, { includeEqual: true })).changes['config.mode']).toEqual({ a: 'fast', b: 'fast' });
    await expect(tracker.diffRuns(a, 'nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(tracker.diffRuns(a, b, { prefx: 'a' } as never)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.diffRuns(a, b, { includeEqual: 'yes' as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('findLatestRun prefers the highest iteration, then the newest run', async () => {
    await simulate(2, 0.1);
    const newestLower = await simulate(1, 0.2);
    expect((await tracker.findLatestRun({ name: 'simulate' })).iteration).toBe(2);
    expect((await tracker.findLatestRun({ name: 'simulate', iteration: 1 })).id).toBe(newestLower.run.id);
    await expect(tracker.findLatestRun({ model: 'none' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(tracker.findLatestRun({ limit: 1 })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('getArtifact and lineage by id, URI, key, { key, runId } and Artifact', async () => {
    const first = await simulate(1, 0.5);
    const second = await simulate(2, 0.6);
    const a1 = first.outputs.result;
    expect((await tracker.getArtifact(a1.id)).id).toBe(a1.id);
    expect((await tracker.getArtifact(a1.uri)).id).toBe(a1.id);
    expect((await tracker.getArtifact('result')).id).toBe(second.outputs.result.id);
    expect((await tracker.getArtifact({ key: 'result', runId: first.run.id })).id).toBe(a1.id);
    expect((await tracker.getArtifact(a1)).id).toBe(a1.id);
    expect((await tracker.lineage({ key: 'result', runId: first.run.id })).producer?.run.id).toBe(first.run.id);
    expect((await tracker.lineage(a1.uri)).artifact.id).toBe(a1.id);
    await expect(tracker.getArtifact({ key: 'result', runId: 'nope' })).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    await expect(tracker.getArtifact('missing://x.csv')).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    await expect(tracker.getArtifact({ key: '' })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.getArtifact(5 as never)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('findArtifacts by params, namespace, keyPrefix, schema and limit', async () => {
    for (const i of [1, 2, 3]) await simulate(i, i / 10);
    const keys = async (o: Parameters<Tracker['findArtifacts']>[0]) => (await tracker.findArtifacts(o)).map((a) => a.meta.facet);
    expect(await keys({ params: ['iteration>=2'], namespace: 'simulate' })).toEqual([{ iteration: 3, alpha: 0.3 }, { iteration: 2, alpha: 0.2 }]);
    expect(await keys({ params: ['simulate.iteration<=1'] })).toEqual([{ iteration: 1, alpha: 0.1 }]);
    expect(await keys({ params: ['iteration>=1'], limit: 1 })).toHaveLength(1);
    expect(await keys({ keyPrefix: 'res' })).toHaveLength(3);
    expect(await keys({ keyPrefix: 'zzz' })).toEqual([]);
    expect(await keys({ namespace: 'unknown' })).toEqual([]);
    expect(await keys({ schema: 'no-such-schema' })).toEqual([]);
    for (const [bad, code] of [[{ params: ['iteration>=abc'] }, 'FACET_PREDICATE_INVALID'], [{ params: ['no operator'] }, 'FACET_PREDICATE_INVALID'],
      [{ params: 'x=1' }, 'CONFIGURATION_INVALID'], [{ limit: -1 }, 'CONFIGURATION_INVALID'], [{ keyprefix: 'r' }, 'CONFIGURATION_INVALID']] as const) {
      expect(codeOf(await tracker.findArtifacts(bad as never).catch((e) => e))).toBe(code);
    }
  });

  it('pivotFacets returns a named View filtered by namespace, with BIGINT integers', async () => {
    await simulate(1, 0.5);
    await tracker.startRun('other', { model: 'asim', facet: { alpha: 9 } }, async () => undefined);
    const pivot = await tracker.pivotFacets({ namespace: 'simulate', keys: ['alpha', 'label'], name: 'v_alpha' });
    expect(pivot.name).toBe('v_alpha');
    expect((await pivot.rows()).map((r) => [r.alpha, r.label])).toEqual([[0.5, 'it1']]);
    expect(await pivot.count()).toBe(1);
    expect(await tracker.sql('SELECT count(*) AS n FROM v_alpha JOIN run ON run.id = v_alpha.run_id')).toEqual([{ n: 1 }]);
    const ints = await tracker.pivotFacets({ namespace: 'asim', keys: ['alpha'] });
    expect(await tracker.sql(`SELECT typeof(alpha) AS t FROM "${ints.name}"`)).toEqual([{ t: 'BIGINT' }]);
    expect(await (await tracker.pivotFacets({ namespace: 'nobody', keys: ['alpha'] })).rows()).toEqual([]);
    expect((await tracker.findRuns({ namespace: 'asim' })).map((r) => r.id)).toEqual(['other']);
    expect(await tracker.findRuns({ namespace: 'nobody' })).toEqual([]);
    await expect(tracker.findRuns({ namespace: 5 as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('re-indexes facets of a database written before namespaces followed the model (migration 3)', async () => {
    const r = await simulate(1, 0.5);
    await tracker.startRun('manual', { model: 'asim' }, async () => {
      await tracker.logArtifact(ws.file('x.csv', 'a\n1\n'), { key: 'x', facet: { own: 1 }, facetNamespace: 'explicit' });
    });
    await tracker.close();
    // Rewind the DB to its pre-migration-3 state: every facet under '' except explicit namespaces.
    const db = await DuckDBInstance.create(ws.path('runs', 'provenance.duckdb'));
    const conn = await db.connect();
    await conn.run("UPDATE run_config_kv SET namespace = ''");
    await conn.run("UPDATE artifact_kv SET namespace = '' WHERE namespace <> 'explicit'");
    await conn.run('DELETE FROM schema_migrations WHERE version = 3');
    conn.closeSync();
    db.closeSync();
    tracker = await open();
    const ns = await tracker.sql(`SELECT 'run' AS t, namespace, count(*) AS n FROM run_config_kv GROUP BY ALL
      UNION ALL SELECT 'artifact', namespace, count(*) FROM artifact_kv GROUP BY ALL ORDER BY 1, 2`);
    expect(ns).toEqual([
      { t: 'artifact', namespace: 'explicit', n: 1 }, { t: 'artifact', namespace: 'simulate', n: 2 },
      { t: 'run', namespace: 'simulate', n: 2 }]);
    expect((await tracker.findRuns({ facet: { alpha: 0.5 }, namespace: 'simulate' })).map((x) => x.id)).toEqual([r.run.id]);
    expect(await tracker.sql('SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: 3 }]);
  });
});
