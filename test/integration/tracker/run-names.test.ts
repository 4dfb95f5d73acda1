import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { Step, StepBase, type Tracker } from '../../../src/index';
import { consist, json } from '../cli/run-cli';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

let executed = 0;
class ModelConfig { alpha = 1; }

@Step({ outputs: ['trips'], config: ModelConfig, codeVersion: '1' })
class Model extends StepBase<ModelConfig> {
  async run() {
    executed++;
    return { trips: [{ id: 1, n: this.config.alpha }] };
  }
}

/** The step the fixture under test/fixtures/pre-run-names recorded (same identity). */
const fixtureStep = (alpha: number) => ({
  name: 'model', runId: 'model_2030', year: 2030, model: 'asim', config: { alpha }, codeVersion: '1', outputs: ['trips'],
  fn: async () => { executed++; return { trips: [{ id: 1, n: alpha * 10 }] }; },
});

describe('run ids are names users choose (API.md §10)', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    executed = 0;
    ws = tmpWorkspace('consist-names-');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('same id + same identity → that very run: nothing executed, no new record', async () => {
    const first = await tracker.run(Model, { runId: 'model_2030', year: 2030 });
    const again = await tracker.run(Model, { runId: 'model_2030', year: 2030 });
    expect([first.cacheHit, again.cacheHit, again.run.id, executed]).toEqual([false, true, 'model_2030', 1]);
    expect(again.outputs.trips.id).toBe(first.outputs.trips.id);
    expect((await tracker.findRuns()).map((r) => r.id)).toEqual(['model_2030']);
    expect((await tracker.runHistory('model_2030')).length).toBe(1);
  });

  it('a new identity executes; the name resolves to the newest, earlier executions keep their bytes', async () => {
    const first = await tracker.run(Model, { runId: 'model_2030', year: 2030 });
    const firstBytes = readFileSync(first.outputs.trips.path);
    const second = await tracker.run(Model, { runId: 'model_2030', year: 2030, config: { alpha: 2 } });
    expect([second.cacheHit, second.run.id, second.run.name, executed]).toEqual([false, 'model_2030~2', 'Model', 2]);
    expect(path.dirname(second.outputs.trips.path)).toBe(path.join(tracker.runDir, 'model_2030~2'));
    expect((await tracker.getRun('model_2030'))?.id).toBe('model_2030~2');
    expect((await tracker.findRun({ year: 2030 })).id).toBe('model_2030~2');
    expect((await tracker.getArtifactsForRun('model_2030')).outputs.trips.id).toBe(second.outputs.trips.id);
    expect((await tracker.runHistory('model_2030')).map((r) => r.id)).toEqual(['model_2030~2', 'model_2030']);
    expect((await tracker.runHistory('model_2030~2')).length).toBe(2);
    // nothing overwritten in place: the first execution's record and bytes are intact and loadable
    expect((await tracker.getRun('model_2030~2'))?.config).toEqual({ alpha: 2 });
    expect(readFileSync(first.outputs.trips.path)).toEqual(firstBytes);
    expect((await tracker.load(first.outputs.trips)).get(0)?.toJSON()).toMatchObject({ n: 1n });
    // going back to the first identity is a hit under a third execution (the newest is alpha 2)
    const back = await tracker.run(Model, { runId: 'model_2030', year: 2030 });
    expect([back.cacheHit, back.run.id, back.run.reusedRunId, executed]).toEqual([true, 'model_2030~3', 'model_2030', 2]);
  });

  it('concurrent calls under one new name get distinct executions (nothing overwritten)', async () => {
    const runs = await Promise.all([0, 1, 2].map(() => tracker.run(Model, { runId: 'par' })));
    expect(runs.map((r) => r.run.id).sort()).toEqual(['par', 'par~2', 'par~3']);
    expect(executed).toBe(1);
    expect((await tracker.runHistory('par')).map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('an earlier failed execution runs again under a new execution id', async () => {
    let fail = true;
    const step = () => ({ name: 'flaky', runId: 'flaky', outputs: ['x'], codeVersion: '1',
      fn: () => { if (fail) throw new Error('boom'); return { x: [{ a: 1 }] }; } });
    await expect(tracker.run(step())).rejects.toMatchObject({ code: 'STEP_FAILED' });
    fail = false;
    const ok = await tracker.run(step());
    expect([ok.cacheHit, ok.run.id, ok.run.status]).toEqual([false, 'flaky~2', 'completed']);
    expect((await tracker.runHistory('flaky')).map((r) => r.status)).toEqual(['completed', 'failed']);
  });

  it('startRun under a taken name adds an execution; the name resolves to it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) await tracker.startRun('baseline_init', { model: 'pilates' }, async (run) => { ids.push(run.id); });
    expect(ids).toEqual(['baseline_init', 'baseline_init~2']);
    expect((await tracker.getRun('baseline_init'))?.id).toBe('baseline_init~2');
    expect((await tracker.getRun('baseline_init'))?.name).toBe('baseline_init');
  });

  it('rejects a name taken by another kind or model, and runHistory of an unknown id, recording nothing', async () => {
    await tracker.startRun('taken', {}, async () => undefined);
    await tracker.run(Model, { runId: 'asim_run', model: 'asim' });
    const before = (await tracker.findRuns()).length;
    const kind = await tracker.run(Model, { runId: 'taken' }).catch((e) => e);
    expect(kind).toMatchObject({ code: 'RUN_ID_CONFLICT', details: { id: 'taken', existing: { kind: 'manual' } } });
    expect(kind.message).toContain('Choose another id');
    await expect(tracker.run(Model, { runId: 'asim_run', model: 'beam' })).rejects.toMatchObject({ code: 'RUN_ID_CONFLICT' });
    await expect(tracker.startRun('asim_run', { model: 'asim' }, async () => undefined)).rejects.toMatchObject({ code: 'RUN_ID_CONFLICT' });
    await expect(tracker.scenario('asim_run', { model: 'asim' }, async () => undefined)).rejects.toMatchObject({ code: 'RUN_ID_CONFLICT' });
    await expect(tracker.runHistory('nope')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    expect((await tracker.findRuns()).length).toBe(before);
    expect(existsSync(path.join(tracker.runDir, 'taken~2'))).toBe(false);
  });

  it('the CLI resolves the name to the newest execution and lists the history', async () => {
    await tracker.run(Model, { runId: 'model_2030' });
    await tracker.run(Model, { runId: 'model_2030', config: { alpha: 3 } });
    await tracker.close();
    const flags = ['--run-dir', tracker.runDir];
    const shown = json<{ run: { id: string }; outputs: Record<string, { runId: string }> }>(consist(['show', 'model_2030', '--json', ...flags], ws.dir));
    expect([shown.run.id, shown.outputs.trips.runId]).toEqual(['model_2030~2', 'model_2030~2']);
    const history = json<Array<{ id: string; config: unknown }>>(consist(['show', 'model_2030', '--history', '--json', ...flags], ws.dir));
    expect(history.map((r) => [r.id, r.config])).toEqual([['model_2030~2', { alpha: 3 }], ['model_2030', { alpha: 1 }]]);
    const text = consist(['show', 'model_2030', '--history', ...flags], ws.dir);
    expect(text.stdout).toMatch(/model_2030~2[\s\S]*model_2030 /);
    const unknown = consist(['show', 'nope', '--history', ...flags], ws.dir);
    expect([unknown.code, unknown.stderr]).toEqual([expect.any(Number), expect.stringContaining('RUN_NOT_FOUND')]);
    expect(unknown.code).not.toBe(0);
    tracker = await openTestTracker(ws);
  });
});

describe('a runs folder and DB written before run names (test/fixtures/pre-run-names)', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    executed = 0;
    ws = tmpWorkspace('consist-pre-names-');
    const fixture = path.resolve(__dirname, '../../fixtures/pre-run-names');
    cpSync(fixture, ws.path('runs'), { recursive: true });
    writeFileSync(ws.path('runs', 'provenance.duckdb'), gunzipSync(readFileSync(path.join(fixture, 'provenance.duckdb.gz'))));
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('opens and keeps working: old runs hit, re-runs add executions, old outputs stay loadable', async () => {
    expect((await tracker.findRuns()).map((r) => r.id).sort()).toEqual(['baseline', 'baseline_init', 'baseline_prep', 'model_2030']);
    const hit = await tracker.run(fixtureStep(1));
    expect([hit.cacheHit, hit.run.id, executed]).toEqual([true, 'model_2030', 0]);
    const changed = await tracker.run(fixtureStep(2));
    expect([changed.cacheHit, changed.run.id, executed]).toEqual([false, 'model_2030~2', 1]);
    expect((await tracker.runHistory('model_2030')).map((r) => r.id)).toEqual(['model_2030~2', 'model_2030']);
    // `<name>~1` addresses the first execution (its record id is the name itself, which resolves to the newest)
    expect((await tracker.getRun('model_2030~1'))?.config).toEqual({ alpha: 1 });
    const oldTrips = (await tracker.getArtifactsForRun('model_2030~1')).outputs.trips;
    expect(oldTrips.runId).toBe('model_2030');
    expect((await tracker.load(oldTrips)).get(0)?.toJSON()).toMatchObject({ id: 1n, n: 3n });

    const init = await tracker.startRun('baseline_init', { model: 'pilates' }, async (run) => run.id);
    expect(init).toBe('baseline_init~2');
    const sc = await tracker.scenario('baseline', { model: 'pilates' }, async (s) => {
      await s.trace('prep', {}, async (ctx) => { await ctx.logTable([{ x: 1 }], { key: 'prep' }); });
    });
    expect([sc.run.id, sc.steps[0].run.id, sc.steps[0].cacheHit]).toEqual(['baseline~2', 'baseline_prep~2', true]);
    expect((await tracker.findRun({ parentId: 'baseline', name: 'prep' })).id).toBe('baseline_prep~2');
  });
});
