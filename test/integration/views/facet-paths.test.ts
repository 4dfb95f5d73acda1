/**
 * API.md §11: facets reach artifacts from every path (ctx.logTable / logOutput, `{ data, facet }`
 * returns, runCommand / runContainer `{ path, facet }` outputs, sc.logArtifacts facetsByKey,
 * artifactFacetParsers), run facets from facetFrom and scenario stepTags / stepFacet, all indexed
 * under the run's model unless facetNamespace says otherwise.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  isConsistError, Step, StepBase, Tracker, type ContainerBackend, type ContainerSpec, type StepContext,
} from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const codeOf = (e: unknown) => (isConsistError(e) ? e.code : e);

class YearConfig {
  year = 2030;
  scenario = { name: 'base' };
}

@Step({ outputs: ['plan'], config: YearConfig, model: 'asim', facetFrom: ['year', 'scenario.name'] })
class Plan extends StepBase<YearConfig> {
  async run() {
    return { plan: { data: [{ x: 1 }], facet: { kind: 'plan', year: this.config.year } } };
  }
}

/** A container backend that "runs" by writing the declared output file itself. */
function fakeBackend(out: string): ContainerBackend {
  return {
    name: 'podman',
    available: async () => true,
    imageDigest: async () => `sha256:${'a'.repeat(64)}`,
    run: async (_spec: ContainerSpec) => {
      writeFileSync(out, 'a\n1\n');
      return { exitCode: 0, signal: null, durationMs: 1 };
    },
  };
}

describe('facets from every path', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let logger: ReturnType<typeof memoryLogger>;
  const kv = (key: string) => tracker.sql(
    `SELECT a.key AS artifact, kv.namespace, kv.value_type, kv.value_str, kv.value_num FROM artifact_kv kv JOIN artifact a ON a.id = kv.artifact_id
     WHERE kv.key = ? ORDER BY a.key`, [key]);
  beforeEach(async () => {
    ws = tmpWorkspace();
    logger = memoryLogger();
    tracker = await Tracker.open({
      runDir: ws.path('runs'), logger, codeIdentity: 'class-source',
      artifactFacetParsers: {
        iter_: (key) => ({ iteration: Number(key.split('_').pop()), family: 'short' }),
        iter_long_: (key) => ({ iteration: Number(key.split('_').pop()), family: 'long' }),
        boom_: () => { throw new Error('parser exploded'); },
        odd_: () => 42 as never,
        none_: () => undefined,
      },
    });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('ctx.logTable / ctx.logOutput and { data, facet } returns, under the run model or facetNamespace', async () => {
    const r = await tracker.run({
      name: 'writer', model: 'beam', fn: async (_in, ctx: StepContext) => {
        await ctx.logTable([{ a: 1 }], { key: 'tbl', facet: { tag: 'table' } });
        const file = path.join(ctx.runDir, 'raw.csv');
        writeFileSync(file, 'a\n1\n');
        await ctx.logOutput(file, 'raw', { facet: { tag: 'file' }, facetNamespace: 'custom' });
        return { ret: { data: [{ b: 2 }], facet: { tag: 'returned' } } };
      },
    });
    expect(Object.keys(r.outputs).sort()).toEqual(['raw', 'ret', 'tbl']);
    expect(await kv('tag')).toEqual([
      { artifact: 'raw', namespace: 'custom', value_type: 'str', value_str: 'file', value_num: null },
      { artifact: 'ret', namespace: 'beam', value_type: 'str', value_str: 'returned', value_num: null },
      { artifact: 'tbl', namespace: 'beam', value_type: 'str', value_str: 'table', value_num: null },
    ]);
    expect((await tracker.findArtifacts({ params: ['tag=returned'], namespace: 'beam' })).map((a) => a.key)).toEqual(['ret']);
    expect(await tracker.findArtifacts({ params: ['tag=returned'], namespace: 'nope' })).toEqual([]);
  });

  it('a bad facet on an output is CONFIGURATION_INVALID, and the run is recorded failed', async () => {
    const err = await tracker.run({
      name: 'bad', model: 'beam', fn: async () => ({ out: { data: [{ a: 1 }], facet: 'not an object' } }),
    }).catch((e) => e);
    expect(codeOf(err.cause ?? err)).toBe('CONFIGURATION_INVALID');
    expect((await tracker.findRuns({ name: 'bad' }))[0].status).toBe('failed');
  });

  it('runCommand and runContainer outputs given as { path, facet }', async () => {
    const out = ws.path('cmd.csv');
    await tracker.runCommand({ name: 'cmd', model: 'urbansim', command: ['sh', '-c', `printf 'a\\n1\\n' > '${out}'`],
      outputs: { households: { path: out, facet: { year: 2030 } } } });
    const ctrOut = ws.path('ctr.csv');
    await tracker.runContainer({ name: 'ctr', model: 'beam', image: 'localhost/x:1', backend: fakeBackend(ctrOut), command: ['run'],
      outputs: { linkstats: { path: ctrOut, facet: { year: 2031 } } } });
    expect((await kv('year')).map((r) => [r.artifact, r.namespace, r.value_num])).toEqual([['households', 'urbansim', 2030], ['linkstats', 'beam', 2031]]);
    const bad = await tracker.runCommand({ command: ['true'], outputs: { x: { path: out, facet: [1] as never } } }).catch((e) => e);
    expect(codeOf(bad)).toBe('CONFIGURATION_INVALID');
    const extra = await tracker.runCommand({ command: ['true'], outputs: { x: { path: out, fact: {} } as never } }).catch((e) => e);
    expect(codeOf(extra)).toBe('CONFIGURATION_INVALID');
  });

  it('artifactFacetParsers: longest prefix wins, explicit facet overrides, a throwing or non-object parser is logged and skipped', async () => {
    await tracker.run({
      name: 'iters', model: 'beam', fn: async (_in, ctx: StepContext) => {
        await ctx.logTable([{ a: 1 }], { key: 'iter_3' });
        await ctx.logTable([{ a: 1 }], { key: 'iter_long_4', facet: { family: 'explicit' } });
        await ctx.logTable([{ a: 1 }], { key: 'boom_1' });
        await ctx.logTable([{ a: 1 }], { key: 'odd_1' });
        await ctx.logTable([{ a: 1 }], { key: 'none_1' });
      },
    });
    expect((await kv('iteration')).map((r) => [r.artifact, r.value_type, r.value_num])).toEqual([['iter_3', 'int', 3], ['iter_long_4', 'int', 4]]);
    expect((await kv('family')).map((r) => [r.artifact, r.value_str])).toEqual([['iter_3', 'short'], ['iter_long_4', 'explicit']]);
    expect(logger.warnings.filter((w) => w.includes("prefix 'boom_'") && w.includes('parser exploded'))).toHaveLength(1);
    expect(logger.warnings.filter((w) => w.includes("prefix 'odd_'") && w.includes('not an object'))).toHaveLength(1);
    expect((await tracker.getArtifact({ key: 'boom_1' })).meta.facet).toBeUndefined();
  });

  it('rejects malformed artifactFacetParsers before opening', async () => {
    await expect(Tracker.open({ runDir: ws.path('r2'), artifactFacetParsers: { x: 'nope' as never } })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(Tracker.open({ runDir: ws.path('r3'), artifactFacetParsers: [] as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('facetFrom on @Step and as an option copies config values into the run facet (own facet wins)', async () => {
    const a = await tracker.run(Plan, { config: { year: 2040 }, facet: { owner: 'me' } });
    expect(a.run.facet).toEqual({ year: 2040, 'scenario.name': 'base', owner: 'me' });
    expect((await tracker.findRuns({ facet: { year: 2040 }, namespace: 'asim' })).map((r) => r.id)).toEqual([a.run.id]);
    const b = await tracker.run({ name: 'fn', model: 'm', config: { alpha: 0.5 }, facetFrom: ['alpha'], facet: { alpha: 1 }, fn: async () => ({}) });
    expect(b.run.facet).toEqual({ alpha: 1 });
    const err = await tracker.run({ name: 'fn2', config: { alpha: 0.5 }, facetFrom: ['beta'], fn: async () => ({}) }).catch((e) => e);
    expect(codeOf(err)).toBe('CONFIGURATION_INVALID');
    expect(await tracker.findRuns({ name: 'fn2' })).toEqual([]);
    const bad = await tracker.run({ name: 'fn3', facetFrom: 'alpha' as never, fn: async () => ({}) }).catch((e) => e);
    expect(codeOf(bad)).toBe('CONFIGURATION_INVALID');
    @Step({ facetFrom: [1] as never }) class BadStep extends StepBase { async run() { return {}; } }
    expect(codeOf(await tracker.run(BadStep).catch((e) => e))).toBe('METADATA_INVALID_OPTION');
  });

  it('scenario stepTags / stepFacet default onto child runs, not the header; the step wins; sc.logArtifacts takes facetsByKey', async () => {
    const f1 = ws.file('zones.csv', 'z\n1\n');
    const f2 = ws.file('skims.csv', 's\n1\n');
    const result = await tracker.scenario('base', { model: 'pilates', stepTags: ['sweep'], stepFacet: { sweep: 'a', year: 1 } }, async (sc) => {
      await sc.run(Plan, { tags: ['own'], facet: { sweep: 'b' } });
      await sc.logArtifacts({ zones: f1, skims: f2 }, { facet: { src: 'common' }, facetsByKey: { zones: { src: 'zones', n: 1 } } });
    });
    const step = result.steps[0].run;
    expect(step.tags.sort()).toEqual(['own', 'sweep']);
    expect(step.facet).toEqual({ sweep: 'b', year: 2030, 'scenario.name': 'base' });
    expect(result.run.tags).toEqual([]);
    expect(result.run.facet).toBeNull();
    expect((await kv('src')).map((r) => [r.artifact, r.namespace, r.value_str])).toEqual([['skims', 'pilates', 'common'], ['zones', 'pilates', 'zones']]);
    await expect(tracker.scenario('bad', { stepTags: 'x' as never }, async () => undefined)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.scenario('bad2', { stepFacet: [] as never }, async () => undefined)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('a facet with 10^5 keys is kept in the snapshot, not indexed, with one warning; SQL in values is data', async () => {
    const big = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const inj = "x'); DROP TABLE run; --";
    const r = await tracker.run({ name: 'big', model: 'm', facet: { ...big, q: inj }, fn: async () => ({}) });
    expect(logger.warnings.filter((w) => w.includes(`run '${r.run.id}'`) && w.includes('not indexed'))).toHaveLength(1);
    expect(await tracker.sql('SELECT count(*) AS n FROM run_config_kv WHERE run_id = ?', [r.run.id])).toEqual([{ n: 0 }]);
    expect(Object.keys((await tracker.getRun(r.run.id))!.facet!)).toHaveLength(100_001);
    const s = await tracker.run({ name: 'inj', model: 'm', facet: { q: inj }, fn: async () => ({}) });
    expect((await tracker.findRuns({ facet: { q: inj } })).map((x) => x.id)).toEqual([s.run.id]);
    expect(await tracker.sql('SELECT count(*) AS n FROM run')).toEqual([{ n: 2 }]);
  }, 60_000);
});
