import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { container } from 'tsyringe';
import { registerConsist } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import { Materializer } from '../../../src/index';
import { compileTable } from '../../../src/index';
import { ViewFactory } from '../../../src/index';
import { writeParquetRows } from '../../helpers/data-files';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

describe('facets and schema capture', () => {
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

  it('does not index a facet with 600 keys, but indexes and finds small typed facets', async () => {
    const big = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, i]));
    await tracker.startRun('big', { facet: big }, async () => undefined);
    await tracker.startRun('small', { facet: { scale: 0.5, mode: 'fast', on: true, year: 2020 } }, async () => undefined);
    expect(await tracker.sql(`SELECT count(*) AS n FROM run_config_kv WHERE run_id = 'big'`)).toEqual([{ n: 0 }]);
    expect((await tracker.findRuns({ facet: { k1: 1 } })).map((r) => r.id)).toEqual([]);
    const facets: Record<string, string | number | boolean>[] = [{ scale: 0.5 }, { mode: 'fast' }, { on: true }, { year: 2020 }];
    for (const facet of facets) {
      expect((await tracker.findRuns({ facet })).map((r) => r.id)).toEqual(['small']);
    }
    expect(await tracker.findRuns({ facet: { on: false } })).toEqual([]);
    const file = ws.file('a.csv', 'x\n1\n');
    await tracker.startRun('art', {}, async () => {
      await tracker.logArtifact(file, { key: 'big_facet', facet: big, facetNamespace: 'ns' });
    });
    expect(await tracker.sql('SELECT count(*) AS n FROM artifact_kv')).toEqual([{ n: 0 }]);
  });

  it('pivots run facets to one row per run with typed columns', async () => {
    await tracker.startRun('r1', { facet: { scale: 0.5, mode: 'fast' } }, async () => undefined);
    await tracker.startRun('r2', { facet: { scale: 2, mode: 'slow', on: true } }, async () => undefined);
    const pivot = await tracker.pivotFacets({ keys: ['scale', 'mode', 'on'] });
    expect(await pivot.rows()).toEqual([
      { run_id: 'r1', scale: 0.5, mode: 'fast', on: null },
      { run_id: 'r2', scale: 2, mode: 'slow', on: true },
    ]);
    expect(await tracker.sql(`SELECT count(*) AS n FROM (${pivot.sql}) p JOIN run ON run.id = p.run_id`)).toEqual([{ n: 2 }]);
    expect(await tracker.sql(`SELECT count(*) AS n FROM "${pivot.name}" p JOIN run ON run.id = p.run_id`)).toEqual([{ n: 2 }]);
    await expect(tracker.pivotFacets({ keys: [] })).rejects.toMatchObject({ code: 'VIEW_SELECTION_INVALID' });
  });

  it('profiles a file schema and exports a @Table class that compiles back to the same schema id', async () => {
    const file = await writeParquetRows(ws.path('zones.parquet'), [{ zone_id: 1, 'Mass(kg)': 2.5, name: 'a', 'class': true }]);
    const a = await tracker.startRun('r', {}, () => tracker.logArtifact(file, { key: 'zones', profileSchema: true }));
    expect(a.schemaId).toMatch(/^[0-9a-f]{64}$/);
    const source = await tracker.exportSchema(a.id, { importFrom: '../../../src/index', className: 'Zones' });
    expect(source).toContain('@Column({ name: "Mass(kg)", type: "DOUBLE" })');
    expect(source).toContain('class_!: boolean | null;');
    const dir = path.join(__dirname, '..', '..', '.generated');
    mkdirSync(dir, { recursive: true });
    const target = path.join(dir, `zones-${process.pid}.ts`);
    writeFileSync(target, source.replace('"../../../src/index"', JSON.stringify(path.relative(dir, path.join(__dirname, '../../../src/index')))));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    try {
      const { Zones } = require(target) as { Zones: Function };
      expect(compileTable(Zones).schemaId).toBe(a.schemaId);
    } finally {
      rmSync(target, { force: true });
    }
    expect(await tracker.exportSchema(a.schemaId!)).toContain("from \"consist-ts\"");
    await expect(tracker.exportSchema('nope')).rejects.toMatchObject({ code: 'SCHEMA_NOT_FOUND' });
  });

  it('registers ViewFactory and Materializer in the container given to registerConsist', async () => {
    const c = container.createChildContainer();
    const ws2 = tmpWorkspace();
    const t = await registerConsist(c, { runDir: ws2.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source' });
    expect(c.resolve(ViewFactory)).toBeInstanceOf(ViewFactory);
    expect(c.resolve(Materializer)).toBeInstanceOf(Materializer);
    await t.close();
    ws2.cleanup();
  });
});
