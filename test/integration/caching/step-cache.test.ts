import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import { IsNumber, Min } from 'class-validator';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

class CleaningConfig {
  @IsNumber() @Min(0) threshold = 0.5;
  label = 'x';
}

let calls = 0;

@Step({ outputs: ['cleaned'], config: CleaningConfig, codeVersion: '1' })
class CleanData extends StepBase<CleaningConfig> {
  async run(@Input('raw') raw: Table): Promise<{ cleaned: Record<string, unknown>[] }> {
    calls++;
    const rows = raw.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    return { cleaned: rows.filter((r) => Number(r.value) >= this.config.threshold) };
  }
}

describe('tracker.run caching', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let raw: string;
  beforeEach(async () => {
    calls = 0;
    ws = tmpWorkspace();
    raw = ws.file('data/raw.csv', 'id,value\n1,0.2\n2,0.7\n3,0.9\n');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('findRuns separates the runs that executed from cache hits (cacheHit filter)', async () => {
    const first = await tracker.run(CleanData, { inputs: { raw } });
    const second = await tracker.run(CleanData, { inputs: { raw } });
    const third = await tracker.run(CleanData, { inputs: { raw } });
    expect((await tracker.findRuns({ name: 'CleanData', cacheHit: false })).map((r) => r.id)).toEqual([first.run.id]);
    expect((await tracker.findRuns({ name: 'CleanData', cacheHit: true, limit: 5 })).map((r) => r.id).sort())
      .toEqual([second.run.id, third.run.id].sort());
    expect(calls).toBe(1);
  });

  it('hits on an identical second run without calling run()', async () => {
    const first = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5 } });
    expect(first.cacheHit).toBe(false);
    expect(first.cacheMissReason?.reason).toBe('no_similar_prior_run');
    const second = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5 } });
    expect(second.cacheHit).toBe(true);
    expect(calls).toBe(1);
    expect(second.run.reusedRunId).toBe(first.run.id);
    expect(second.outputs.cleaned.id).toBe(first.outputs.cleaned.id);
    expect((await tracker.load(second.outputs.cleaned)).numRows).toBe(2);
    expect((await tracker.getRun(second.run.id))?.cacheHit).toBe(true);
  });

  it('misses with config_changed naming the key when a config value changes', async () => {
    await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5 } });
    const r = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.8 } });
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason).toMatchObject({ reason: 'config_changed', mismatchedComponents: ['config'] });
    expect(r.cacheMissReason?.details.configKeysChanged).toEqual(['threshold']);
    expect(await tracker.explainCacheMiss(r.run.id)).toEqual(r.cacheMissReason);
    expect(calls).toBe(2);
  });

  it('never misses on config key order, runtime values or the input file location', async () => {
    await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5, label: 'a' }, runtime: { threads: 4 } });
    const moved = ws.file('elsewhere/renamed.csv', readFileSync(raw));
    const r = await tracker.run(CleanData, { inputs: { raw: moved }, config: { label: 'a', threshold: 0.5 }, runtime: { threads: 8 } });
    expect(r.cacheHit).toBe(true);
    expect(calls).toBe(1);
  });

  it('misses with inputs_changed when the input bytes change', async () => {
    await tracker.run(CleanData, { inputs: { raw } });
    writeFileSync(raw, 'id,value\n1,0.2\n2,0.75\n3,0.9\n');
    const r = await tracker.run(CleanData, { inputs: { raw } });
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason).toMatchObject({ reason: 'inputs_changed', details: { inputsChanged: [{ key: 'raw', change: 'content' }] } });
  });

  it('misses on cache epoch and cache version changes, naming the run field', async () => {
    await tracker.run(CleanData, { inputs: { raw } });
    const v = await tracker.run(CleanData, { inputs: { raw }, cacheVersion: 1 });
    expect(v.cacheMissReason?.details.runFieldsChanged).toEqual(['cacheVersion']);
    const other = await openTestTracker(ws, { runDir: ws.path('runs2'), cacheEpoch: 2 });
    try {
      await other.run(CleanData, { inputs: { raw } });
      const e = await other.run(CleanData, { inputs: { raw }, cacheEpoch: 3 });
      expect(e.cacheMissReason?.details.runFieldsChanged).toEqual(['cacheEpoch']);
    } finally {
      await other.close();
    }
  });

  it('misses with code_changed when the pinned code version changes', async () => {
    @Step({ outputs: ['cleaned'], config: CleaningConfig, codeVersion: '2', name: 'CleanData' })
    class CleanDataV2 extends CleanData {}
    await tracker.run(CleanData, { inputs: { raw } });
    const r = await tracker.run(CleanDataV2, { inputs: { raw } });
    expect(r.cacheHit).toBe(false);
    expect(r.cacheMissReason?.reason).toBe('code_changed');
  });

  it('overwrite always executes and becomes the newest cache entry; readonly persists nothing', async () => {
    const first = await tracker.run(CleanData, { inputs: { raw } });
    const over = await tracker.run(CleanData, { inputs: { raw }, cacheMode: 'overwrite' });
    expect(over.cacheHit).toBe(false);
    const next = await tracker.run(CleanData, { inputs: { raw } });
    expect(next.run.reusedRunId).toBe(over.run.id);
    expect(next.run.reusedRunId).not.toBe(first.run.id);
    const before = (await tracker.findRuns()).length;
    const ro = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.1 }, cacheMode: 'readonly' });
    expect(ro.cacheHit).toBe(false);
    expect(ro.outputs.cleaned.path.startsWith(tracker.runDir)).toBe(false);
    expect(existsSync(path.join(tracker.runDir, ro.run.id))).toBe(false);
    const roHit = await tracker.run(CleanData, { inputs: { raw }, cacheMode: 'readonly' });
    expect(roHit.cacheHit).toBe(true);
    expect((await tracker.findRuns()).length).toBe(before);
  });

  it('hydrates exactly what is requested, and treats missing bytes as a miss', async () => {
    const first = await tracker.run(CleanData, { inputs: { raw } });
    const dest = ws.path('hydrated', 'cleaned.parquet');
    const h = await tracker.run(CleanData, { inputs: { raw }, cacheHydration: 'outputs-requested', hydrateTo: { cleaned: dest } });
    expect(h.cacheHit).toBe(true);
    expect(existsSync(dest)).toBe(true);
    const all = await tracker.run(CleanData, { inputs: { raw }, cacheHydration: 'outputs-all', hydrateDir: ws.path('all') });
    expect(all.cacheHit).toBe(true);
    expect(existsSync(ws.path('all', 'cleaned.parquet'))).toBe(true);
    rmSync(first.outputs.cleaned.path);
    const ghost = await tracker.run(CleanData, { inputs: { raw } });
    expect(ghost.cacheHit).toBe(true);
    const bytes = await tracker.run(CleanData, { inputs: { raw }, cacheHydration: 'outputs-requested', hydrateTo: { cleaned: ws.path('x.parquet') } });
    expect(bytes.cacheHit).toBe(false);
    expect(calls).toBe(2);
  });

  it('fails with typed errors before recording anything on bad input', async () => {
    await expect(tracker.run(CleanData, { inputs: { raw: ws.path('missing.csv') } })).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(tracker.run(CleanData, { inputs: { raw }, config: { threshold: -1 } })).rejects.toMatchObject({ code: 'CONFIG_VALIDATION_FAILED' });
    await expect(tracker.run(CleanData, { inputs: {} })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.run(CleanData, { inputs: { raw }, cacheMode: 'sometimes' as 'reuse' })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(await tracker.findRuns()).toEqual([]);
    expect(calls).toBe(0);
  });

  it('records a failed run for a throwing step and a missing output', async () => {
    @Step({ outputs: ['a', 'b'], codeVersion: '1' })
    class Partial extends StepBase {
      async run() { return { a: [{ x: 1 }] }; }
    }
    @Step({ outputs: ['a'], codeVersion: '1' })
    class Boom extends StepBase {
      async run(): Promise<{ a: string }> { throw new Error('boom'); }
    }
    await expect(tracker.run(Partial)).rejects.toMatchObject({ code: 'OUTPUT_MISSING' });
    await expect(tracker.run(Boom)).rejects.toMatchObject({ code: 'STEP_FAILED', cause: expect.objectContaining({ message: 'boom' }) });
    const failed = await tracker.findRuns({ status: 'failed' });
    expect(failed.map((r) => r.name).sort()).toEqual(['Boom', 'Partial']);
    expect(failed.find((r) => r.name === 'Boom')?.error?.message).toBe('boom');
    const again = await tracker.run(Partial).catch((e) => e);
    expect(again.code).toBe('OUTPUT_MISSING');
  });

  it('runs function steps with caching', async () => {
    let fnCalls = 0;
    const step = {
      name: 'double', outputs: ['out'], config: { k: 2 }, inputs: { raw },
      fn: async ({ raw: p }: Record<string, unknown>) => {
        fnCalls++;
        return { out: [{ n: String(p).length * 2 }] };
      },
    };
    expect((await tracker.run(step)).cacheHit).toBe(false);
    expect((await tracker.run(step)).cacheHit).toBe(true);
    expect(fnCalls).toBe(1);
  });
});
