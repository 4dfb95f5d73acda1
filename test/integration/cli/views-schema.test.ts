import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Artifact } from '../../../src/index';
import { writeParquetRows } from '../../helpers/data-files';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { buildDist, consist, json, type CliResult } from './run-cli';

const ONE_LINE_ERROR = /^error \[([A-Z_]+)\]: [^\n]+\n$/;
const errorCode = (r: CliResult) => ONE_LINE_ERROR.exec(r.stderr)?.[1];

interface Created { name: string; schemaId: string; rows: number; columns: Array<{ name: string; type: string }> }

/**
 * A runs folder with three BEAM iterations (one Parquet file each, same schema, key varies per
 * iteration, facets in namespace `beam`; iteration 0 ingested) and a zones file under the mount `inputs`.
 */
async function makeViewsFixture(ws: Workspace): Promise<{ linkstats: Artifact[]; zones: Artifact }> {
  const tracker = await openTestTracker(ws, { mounts: { inputs: ws.path('data') } });
  const linkstats: Artifact[] = [];
  try {
    await tracker.startRun('sweep', { model: 'beam' }, async () => undefined);
    for (const i of [0, 1, 2]) {
      const file = await writeParquetRows(ws.path('runs', `beam_${i}`, 'linkstats.parquet'),
        [{ link_id: 1, volume: 10 * i + 0.5 }, { link_id: 2, volume: 10 * i + 1.5 }]);
      linkstats.push(await tracker.startRun(`beam_${i}`, { model: 'beam', year: 2018, iteration: i, parentRunId: 'sweep' },
        () => tracker.logArtifact(file, {
          key: `linkstats_iter_${i}`, profileSchema: true, facetNamespace: 'beam',
          facet: { artifact_family: 'linkstats', year: 2018, iteration: i, flag: i % 2 === 0 },
        })));
    }
    await tracker.ingest(linkstats[0]);
    const zonesFile = await writeParquetRows(ws.path('data', 'zones.parquet'), [{ zone: 1 }, { zone: 2 }, { zone: 3 }]);
    const zones = await tracker.startRun('zoning', { model: 'zoning' },
      () => tracker.logArtifact(zonesFile, { key: 'zones', profileSchema: true }));
    expect(zones.uri).toBe('inputs://zones.parquet');
    return { linkstats, zones };
  } finally {
    await tracker.close();
  }
}

describe('consist views / schema / --mount (spawned dist/cli/main.js)', () => {
  let ws: Workspace;
  let at: string[];
  let schemaId: string;
  let fx: Awaited<ReturnType<typeof makeViewsFixture>>;
  beforeAll(async () => {
    buildDist();
    ws = tmpWorkspace('consist-cli-views-');
    fx = await makeViewsFixture(ws);
    schemaId = fx.linkstats[0].schemaId!;
    at = ['--run-dir', ws.path('runs')];
  }, 180_000);
  afterAll(() => ws?.cleanup());

  const run = (args: string[]) => consist([...args, ...at], ws.dir);

  it('creates a grouped view by schema id, facets and run filters; it persists for `consist query`', () => {
    const r = run(['views', 'create', 'v_linkstats', '--schema-id', schemaId, '--namespace', 'beam',
      '--param', 'artifact_family=linkstats', '--param', 'beam.iteration>=1', '--attach-facet', 'iteration',
      '--attach-facet', 'flag', '--driver', 'parquet', '--json']);
    expect(r.stderr).toBe('');
    const created = json<Created>(r);
    expect(created).toMatchObject({ name: 'v_linkstats', schemaId, rows: 4 });
    expect(created.columns).toEqual(expect.arrayContaining([
      { name: 'link_id', type: 'BIGINT' }, { name: 'consist_run_id', type: 'VARCHAR' },
      { name: 'facet_iteration', type: 'BIGINT' }, { name: 'facet_flag', type: 'BOOLEAN' }]));
    // a new process, through the persisted view (absolute file paths in its SQL)
    expect(json(run(['query', 'SELECT facet_iteration AS it, consist_scenario_id AS s, count(*) AS n FROM v_linkstats GROUP BY ALL ORDER BY 1', '--json'])))
      .toEqual([{ it: 1, s: 'sweep', n: 2 }, { it: 2, s: 'sweep', n: 2 }]);
    const text = run(['views', 'create', 'v_linkstats', '--schema-id', schemaId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^view\s+v_linkstats$/m);
    expect(text.stdout).toMatch(/^rows\s+6$/m);
  });

  it('reads ingested rows from hot tables (hybrid, hot_only, cold_only), and applies run filters', () => {
    const rows = (args: string[]) => json<Created>(run(['views', 'create', 'v_sel', '--schema-id', schemaId, '--json', ...args])).rows;
    expect(rows(['--mode', 'hot_only'])).toBe(2);
    expect(rows(['--mode', 'cold_only'])).toBe(6);
    expect(rows(['--iteration', '2'])).toBe(2);
    expect(rows(['--run-id', 'beam_1'])).toBe(2);
    expect(rows(['--parent-run-id', 'sweep', '--model', 'beam', '--status', 'completed', '--year', '2018'])).toBe(6);
    expect(rows(['--param', 'beam.flag=true'])).toBe(4);
    expect(rows(['--driver', 'csv'])).toBe(0);
    expect(json(run(['query', "SELECT count(*) AS n FROM v_sel WHERE consist_artifact_id IS NOT NULL", '--json']))).toEqual([{ n: 0 }]);
    const bare = json<Created>(run(['views', 'create', 'v_bare', '--schema-id', schemaId.slice(0, 12), '--no-system-columns', '--json']));
    expect(bare.schemaId).toBe(schemaId);
    expect(bare.columns.map((c) => c.name).sort()).toEqual(['link_id', 'volume']);
  });

  it('selects by --schema-name (the table name a schema was recorded under)', () => {
    const r = json<Created>(run(['views', 'create', 'v_by_name', '--schema-name', 'linkstats_iter_0', '--json']));
    expect(r).toMatchObject({ schemaId, rows: 6 });
    expect(errorCode(run(['views', 'create', 'v_x', '--schema-name', 'nope']))).toBe('SCHEMA_NOT_FOUND');
  });

  it('fails with one line and a stable code', () => {
    const broken = run(['views', 'create', 'v_err', '--schema-id', schemaId, '--param', 'broken']);
    expect(broken.code).toBe(1);
    expect(errorCode(broken)).toBe('FACET_PREDICATE_INVALID');
    expect(broken.stdout).toBe('');
    expect(errorCode(run(['views', 'create', 'v_err', '--schema-id', schemaId, '--param', 'year>=abc']))).toBe('FACET_PREDICATE_INVALID');
    run(['views', 'create', 'v_once', '--schema-id', schemaId]);
    const exists = run(['views', 'create', 'v_once', '--schema-id', schemaId, '--if-exists', 'error']);
    expect([exists.code, errorCode(exists)]).toEqual([1, 'VIEW_EXISTS']);
    expect(errorCode(run(['views', 'create', 'v_err', '--schema-id', 'f'.repeat(64)]))).toBe('SCHEMA_NOT_FOUND');
    for (const args of [[], ['--schema-id', schemaId, '--schema-name', 'x'], ['--schema-id', schemaId, '--mode', 'lukewarm'],
      ['--schema-id', schemaId, '--year', 'soon'], ['--schema-id', schemaId, '--status', 'weird']]) {
      const usage = run(['views', 'create', 'v_err', ...args]);
      expect([usage.code, errorCode(usage)]).toEqual([2, 'CLI_USAGE']);
    }
    expect(errorCode(run(['views', 'create', 'run', '--schema-id', schemaId]))).toBe('VIEW_CREATE_FAILED');
  });

  it('quotes view names', () => {
    const name = 'v"; DROP TABLE run; --';
    expect(json<Created>(run(['views', 'create', name, '--schema-id', schemaId, '--json'])).rows).toBe(6);
    expect(json(run(['query', 'SELECT count(*) AS n FROM run', '--json']))).toEqual([{ n: 5 }]);
  });

  it('lists stored views with shortened SQL, and the full SQL as JSON', () => {
    const listed = json<Array<{ name: string; schema: string; columns: number; sql: string }>>(run(['views', 'list', '--json']));
    const v = listed.find((x) => x.name === 'v_linkstats');
    expect(v).toMatchObject({ schema: 'main' });
    expect(v!.sql).toMatch(/read_parquet/);
    expect(v!.columns).toBeGreaterThan(5);
    const table = run(['views', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+COLUMNS\s+SQL$/);
    const row = lines.find((l) => l.startsWith('v_linkstats '));
    expect(row).toMatch(/SELECT .*…$/);
    expect(row!.length).toBeLessThan(140);
  });

  it('resolves mount URIs with --mount, merged over the config file, and the view works without it afterwards', () => {
    const create = ['views', 'create', 'v_zones', '--schema-name', 'zones', '--json'];
    expect(errorCode(run(create))).toBe('ARTIFACT_URI_INVALID');
    writeFileSync(ws.path('consist.config.json'), JSON.stringify({ runDir: 'runs', mounts: { inputs: 'elsewhere', other: 'x' } }));
    try {
      const viaConfig = consist([...create, '--missing-files', 'error'], ws.dir);
      expect([viaConfig.code, errorCode(viaConfig)]).toEqual([1, 'VIEW_FILES_MISSING']);
      expect(viaConfig.stderr).toContain(path.join(ws.dir, 'elsewhere', 'zones.parquet'));
      const r = consist([...create, '--mount', 'inputs=data', '--missing-files', 'error'], ws.dir);
      expect(r.stderr).toBe('');
      expect(json<Created>(r).rows).toBe(3);
    } finally {
      writeFileSync(ws.path('consist.config.json'), '{}');
    }
    expect(json(run(['query', 'SELECT sum(zone) AS s FROM v_zones', '--json']))).toEqual([{ s: 6 }]);
    for (const bad of ['inputs', '=data', 'run=data', '1x=data', 'inputs=']) {
      const r = run(['runs', '--mount', bad]);
      expect([r.code, errorCode(r)]).toEqual([2, 'CLI_USAGE']);
    }
  });

  it('exports a stored schema as an editable @Table class, by schema id, id prefix or artifact id', () => {
    const r = run(['schema', 'export', schemaId]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/@Table\(\{ name: "linkstats_iter_0" \}\)/);
    expect(r.stdout).toMatch(/export class LinkstatsIter0 \{/);
    expect(r.stdout).toMatch(/link_id!: number/);
    expect(run(['schema', 'export', fx.linkstats[1].id]).stdout).toBe(r.stdout);
    expect(run(['schema', 'export', schemaId.slice(0, 10)]).stdout).toBe(r.stdout);
    const named = run(['schema', 'export', schemaId, '--class-name', 'LinkStats', '--table-name', 'linkstats', '--import-from', '../src']);
    expect(named.stdout).toMatch(/from ['"]\.\.\/src['"]/);
    expect(named.stdout).toMatch(/export class LinkStats /);
    const out = ws.path('schemas', 'link-stats.ts');
    const written = run(['schema', 'export', schemaId, '--out', out, '--class-name', 'LinkStats']);
    expect(written.stdout).toMatch(/^Wrote LinkStats to /);
    expect(readFileSync(out, 'utf8')).toMatch(/export class LinkStats /);
    const again = run(['schema', 'export', schemaId, '--out', out]);
    expect([again.code, errorCode(again)]).toEqual([2, 'CLI_USAGE']);
    expect(run(['schema', 'export', schemaId, '--out', out, '--force']).code).toBe(0);
    const missing = run(['schema', 'export', 'nope']);
    expect([missing.code, errorCode(missing)]).toEqual([1, 'SCHEMA_NOT_FOUND']);
    expect(existsSync(ws.path('nope.ts'))).toBe(false);
  });

  it('lists stored schemas', () => {
    const schemas = json<Array<{ id: string; tableName: string; artifacts: number }>>(run(['schema', 'list', '--json']));
    expect(schemas.find((s) => s.id === schemaId)).toMatchObject({ tableName: 'linkstats_iter_0', artifacts: 3 });
    expect(run(['schema', 'list']).stdout).toMatch(/^ID\s+TABLE\s+SOURCE\s+FIELDS\s+ARTIFACTS$/m);
  });

  it('documents the flags in --help', () => {
    const help = consist(['views', 'create', '--help'], ws.dir).stdout;
    for (const flag of ['--schema-id', '--schema-name', '--param', '--attach-facet', '--driver', '--mode', '--if-exists',
      '--missing-files', '--schema-compatible', '--no-system-columns', '--run-id', '--parent-run-id', '--iteration', '--mount']) {
      expect(help).toContain(flag);
    }
  });
});
