import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsInt, Min } from 'class-validator';
import { Column, Table, type StepContext, type Tracker } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

@Table({ name: 'person' })
class Person {
  @Column({ primaryKey: true }) @IsInt() person_id!: number;
  @Column() @IsInt() @Min(0) age!: number;
}

let executed = 0;
/** BEAM's layout: one linkstats file per iteration folder, captured from the run's output folder. */
const beam = (extra: Record<string, unknown> = {}) => ({
  name: 'beam', codeVersion: '1', ...extra,
  fn: async (_: unknown, ctx: StepContext) => {
    executed++;
    const out = path.join(ctx.runDir, 'output');
    await ctx.captureOutputs('output', { pattern: '**/*.csv' }, async () => {
      for (const it of [0, 1]) {
        mkdirSync(path.join(out, `it_${it}`), { recursive: true });
        writeFileSync(path.join(out, `it_${it}`, 'linkstats.csv'), `link,volume\n1,${10 + it}\n`);
      }
    });
    return {};
  },
});

describe('hydrating outputs with their layout, capture keys, ingest by logged schema (API.md §10)', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    executed = 0;
    ws = tmpWorkspace('consist-hydr-');
    tracker = await openTestTracker(ws, { schemas: { Person } });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('captureOutputs keys it_0/linkstats and it_1/linkstats as two outputs', async () => {
    const r = await tracker.run(beam());
    expect(Object.keys(r.outputs).sort()).toEqual(['it_0/linkstats', 'it_1/linkstats']);
    expect(readFileSync(r.outputs['it_1/linkstats'].path, 'utf8')).toContain('1,11');
  });

  it('hydrateRunOutputs copies a past run\'s outputs keeping their layout, verifying hashes; keys selects', async () => {
    const r = await tracker.run(beam({ runId: 'beam_2030' }));
    const all = await tracker.hydrateRunOutputs('beam_2030', ws.path('restore'));
    expect(all).toEqual({
      'it_0/linkstats': ws.path('restore', 'output', 'it_0', 'linkstats.csv'),
      'it_1/linkstats': ws.path('restore', 'output', 'it_1', 'linkstats.csv'),
    });
    expect(readFileSync(all['it_0/linkstats'], 'utf8')).toBe(readFileSync(r.outputs['it_0/linkstats'].path, 'utf8'));
    const one = await tracker.hydrateRunOutputs('beam_2030', ws.path('one'), { keys: ['it_1/linkstats'] });
    expect(Object.keys(one)).toEqual(['it_1/linkstats']);
    expect(existsSync(ws.path('one', 'output', 'it_0'))).toBe(false);
  });

  it('hydrateRunOutputs fails with a typed error for an unknown run or key, and for changed bytes (no copy left)', async () => {
    const r = await tracker.run(beam({ runId: 'beam_2030' }));
    await expect(tracker.hydrateRunOutputs('nope', ws.path('x'))).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(tracker.hydrateRunOutputs('beam_2030', ws.path('x'), { keys: ['linkstats'] })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    writeFileSync(r.outputs['it_0/linkstats'].path, 'tampered\n');
    const e = await tracker.hydrateRunOutputs('beam_2030', ws.path('bad'), { keys: ['it_0/linkstats'] }).catch((err) => err);
    expect(e).toMatchObject({ code: 'ARTIFACT_HASH_MISMATCH' });
    expect(e.message).toContain("cacheMode: 'overwrite'");
    expect(existsSync(ws.path('bad', 'output', 'it_0', 'linkstats.csv'))).toBe(false);
    rmSync(r.outputs['it_1/linkstats'].path);
    await expect(tracker.hydrateRunOutputs('beam_2030', ws.path('gone'), { keys: ['it_1/linkstats'] }))
      .rejects.toMatchObject({ code: 'CACHE_OUTPUT_MISSING' });
  });

  it("cacheHydration 'outputs-all' keeps the layout: same-named files never overwrite each other", async () => {
    await tracker.run(beam());
    const hit = await tracker.run(beam({ cacheHydration: 'outputs-all', hydrateDir: ws.path('all') }));
    expect([hit.cacheHit, executed]).toEqual([true, 1]);
    expect(readFileSync(ws.path('all', 'output', 'it_0', 'linkstats.csv'), 'utf8')).toContain('1,10');
    expect(readFileSync(ws.path('all', 'output', 'it_1', 'linkstats.csv'), 'utf8')).toContain('1,11');
  });

  it('an output path that escapes the run folder is OUTPUT_PATH_ESCAPES_RUN, and nothing is logged under it', async () => {
    const e = await tracker.run({
      name: 'escape', codeVersion: '1', outputs: ['x'],
      fn: async (_: unknown, ctx: StepContext) => {
        writeFileSync(path.join(ctx.runDir, '..', 'x.csv'), 'a\n1\n');
        return { x: '../x.csv' };
      },
    }).catch((err) => err);
    expect(e).toMatchObject({ code: 'OUTPUT_PATH_ESCAPES_RUN' });
    expect(e.message).toContain('ctx.runDir');
    const [run] = await tracker.findRuns({ name: 'escape' });
    expect(run.status).toBe('failed');
    expect((await tracker.getArtifactsForRun(run.id)).outputs).toEqual({});
  });

  it('ingest(artifact) without schema uses the @Table the artifact was logged with', async () => {
    const file = ws.file('persons.csv', 'person_id,age\n1,30\n2,40\n');
    const logged = await tracker.startRun('persons_2030', {}, async () => tracker.logArtifact(file, { key: 'persons', schema: Person }));
    const result = await tracker.ingest(logged);
    expect([result.table, result.rowCount]).toEqual(['person', 2]);
    rmSync(file);
    expect(await tracker.views.Person.count()).toBe(2);
    const bad = ws.file('bad.csv', 'person_id,age\n3,-1\n');
    const badArtifact = await tracker.startRun('bad_persons', {}, async () => tracker.logArtifact(bad, { key: 'persons', schema: Person }));
    await expect(tracker.ingest(badArtifact)).rejects.toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED' });
  });
});
