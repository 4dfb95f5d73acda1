/**
 * The grouped-views seed (000_296d430923a494c2), translated 1:1: BEAM iterations logged by runs of
 * model `beam` (no facetNamespace anywhere), then `createGroupedView('v_linkstats_all', { schemaId,
 * namespace: 'beam', params, attachFacets, … })` through the API (examples/grouped-views.ts) and
 * through `consist views create …` on the same runs folder.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LINKSTATS_SCHEMA_ID, main } from '../../../examples/grouped-views';
import { Tracker } from '../../../src/index';
import { buildDist, consist, json } from '../cli/run-cli';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const FAMILY = 'linkstats_unmodified_phys_sim_iter_parquet';
const ATTACH = ['artifact_family', 'year', 'iteration', 'phys_sim_iteration', 'beam_sub_iteration'];

describe('the grouped-views seed, as written', () => {
  let ws: Workspace;
  let runDir: string;
  beforeAll(async () => {
    buildDist();
    ws = tmpWorkspace();
    runDir = ws.path('runs');
  });
  afterAll(() => ws.cleanup());

  it('returns the selected iteration with typed facet columns (API form)', async () => {
    const lines: string[] = [];
    const { first, perIteration } = await main(runDir, (s) => lines.push(s));
    expect(first.map((r) => [r.link_id, r.consist_year, r.consist_iteration, r.facet_artifact_family, r.facet_year, r.facet_iteration,
      r.facet_phys_sim_iteration, r.facet_beam_sub_iteration])).toEqual([
      [1, 2018, 0, FAMILY, 2018, 0, 0, 0], [2, 2018, 0, FAMILY, 2018, 0, 0, 0], [3, 2018, 0, FAMILY, 2018, 0, 0, 0]]);
    expect(perIteration).toEqual([{ consist_year: 2018, n: 9 }, { consist_year: 2019, n: 9 }]);
    expect(lines[0]).toBe('v_linkstats_all (year 2018, iteration 0): 3 rows');
  }, 120_000);

  it('records run and artifact facets under the model, typed in the facet index', async () => {
    const tracker = await Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      expect(await tracker.sql('SELECT DISTINCT namespace FROM artifact_kv UNION SELECT DISTINCT namespace FROM run_config_kv')).toEqual([{ namespace: 'beam' }]);
      const runs = await tracker.findRuns({ model: 'beam', facet: { year: 2018 }, namespace: 'beam' });
      expect(runs).toHaveLength(3);
      expect(runs[0].facet).toEqual({ year: 2018, sample: 0.1 });
      // An unknown namespace selects nothing; it is not an error.
      expect(await tracker.findRuns({ facet: { year: 2018 }, namespace: 'asim' })).toEqual([]);
      const none = await tracker.createGroupedView('v_none', { schemaId: LINKSTATS_SCHEMA_ID, namespace: 'asim', attachFacets: ATTACH });
      expect(await none.count()).toBe(0);
      // An empty selection still has typed facet columns, from the facet index.
      const empty = await tracker.createGroupedView('v_empty', {
        schemaId: LINKSTATS_SCHEMA_ID, namespace: 'beam', params: ['year=1999'], attachFacets: ATTACH,
      });
      expect(await empty.count()).toBe(0);
      const types = await tracker.sql(`SELECT column_name, data_type FROM information_schema.columns
        WHERE table_name = 'v_empty' AND column_name LIKE 'facet_%' ORDER BY column_name`);
      expect(Object.fromEntries(types.map((t) => [t.column_name, t.data_type]))).toEqual({
        facet_artifact_family: 'VARCHAR', facet_beam_sub_iteration: 'BIGINT', facet_iteration: 'BIGINT',
        facet_phys_sim_iteration: 'BIGINT', facet_year: 'BIGINT',
      });
    } finally {
      await tracker.close();
    }
  }, 60_000);

  it('returns the same rows from `consist views create` (CLI form)', () => {
    const at = ['--run-dir', runDir];
    const created = consist(['views', 'create', 'v_linkstats_all', '--schema-id', LINKSTATS_SCHEMA_ID, '--namespace', 'beam',
      '--param', `artifact_family=${FAMILY}`, '--param', 'year=2018', '--param', 'iteration=0',
      ...ATTACH.flatMap((k) => ['--attach-facet', k]), '--driver', 'parquet', ...at], ws.dir);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const rows = json<Array<Record<string, unknown>>>(consist(['query',
      'SELECT link_id, facet_year, facet_iteration, typeof(facet_iteration) AS t FROM v_linkstats_all ORDER BY link_id', '--json', ...at], ws.dir));
    expect(rows).toEqual([1, 2, 3].map((link_id) => ({ link_id, facet_year: 2018, facet_iteration: 0, t: 'BIGINT' })));
  }, 60_000);

  it('docs/views.md shows the example as it runs: every line of its grouped-view snippets is in examples/grouped-views.ts', () => {
    const root = path.resolve(__dirname, '../../..');
    const doc = readFileSync(path.join(root, 'docs/views.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Grouped views'), doc.indexOf('## Facets across runs'));
    const example = new Set(readFileSync(path.join(root, 'examples/grouped-views.ts'), 'utf8').split('\n').map((l) => l.trim()));
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    const missing = snippets.flatMap((s) => s.split('\n').map((l) => l.trim()).filter((l) => l && !example.has(l)));
    expect(missing).toEqual([]);
  });
});
