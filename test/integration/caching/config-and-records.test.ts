import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsNumber, IsString, Min } from 'class-validator';
import { Input } from '../../../src/index';
import { Step } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { RunSnapshot } from '../../../src/index';
import { StepBase } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

class ThresholdConfig {
  @IsNumber() @Min(0) threshold = 0.5;
  @IsString() label = 'default';
  weights: number[] = [1, 2];
}

let calls = 0;
const seenConfigs: unknown[] = [];

@Step({ outputs: ['out'], config: ThresholdConfig, codeVersion: '1' })
class Thresholds extends StepBase<ThresholdConfig> {
  async run(@Input('raw') raw: string): Promise<{ out: Record<string, unknown>[] }> {
    calls++;
    seenConfigs.push(this.config);
    return { out: [{ raw: path.basename(raw), t: this.config.threshold }] };
  }
}

@Step({ outputs: ['out'], codeVersion: '1' })
class Untyped extends StepBase {
  async run(): Promise<{ out: Record<string, unknown>[] }> {
    calls++;
    return { out: [{ ok: true }] };
  }
}

describe('config binding, dependsOn and recorded cache hits', () => {
  let ws: Workspace;
  let tracker: Tracker;
  let raw: string;
  const snapshot = (runId: string): RunSnapshot =>
    JSON.parse(readFileSync(path.join(tracker.runDir, runId, 'consist.json'), 'utf8')) as RunSnapshot;

  beforeEach(async () => {
    calls = 0;
    seenConfigs.length = 0;
    ws = tmpWorkspace();
    raw = ws.file('data/raw.csv', 'id,v\n1,2\n');
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  describe('config', () => {
    it('accepts a config-class instance directly and hits with the equal plain object', async () => {
      const cfg = new ThresholdConfig();
      cfg.threshold = 0.9;
      const first = await tracker.run(Thresholds, { inputs: { raw }, config: cfg });
      expect(first.cacheHit).toBe(false);
      expect(seenConfigs[0]).toBeInstanceOf(ThresholdConfig);
      expect(seenConfigs[0]).toMatchObject({ threshold: 0.9, label: 'default' });
      expect(first.run.config).toEqual({ threshold: 0.9, label: 'default', weights: [1, 2] });

      const plain = await tracker.run(Thresholds, { inputs: { raw }, config: { weights: [1, 2], threshold: 0.9 } });
      expect(plain.cacheHit).toBe(true);
      expect(calls).toBe(1);
    });

    it('fills defaults from field initializers and hands run() a class instance for a plain object', async () => {
      await tracker.run(Thresholds, { inputs: { raw }, config: { label: 'x' } });
      expect(seenConfigs[0]).toBeInstanceOf(ThresholdConfig);
      expect(seenConfigs[0]).toEqual(Object.assign(new ThresholdConfig(), { label: 'x' }));
    });

    it('rejects class-validator failures with CONFIG_VALIDATION_FAILED listing every message, before recording', async () => {
      const err = await tracker.run(Thresholds, { inputs: { raw }, config: { threshold: -1, label: 7 as unknown as string } })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONFIG_VALIDATION_FAILED', details: { configClass: 'ThresholdConfig' } });
      const violations = (err as { details: { violations: string[] } }).details.violations;
      expect(violations).toEqual(expect.arrayContaining([
        expect.stringMatching(/threshold must not be less than 0/), expect.stringMatching(/label must be a string/),
      ]));
      expect((err as Error).message).toContain('threshold must not be less than 0');
      expect(await tracker.findRuns()).toEqual([]);
      expect(calls).toBe(0);
    });

    it.each([
      ['a function', { f: () => 1 }, 'config.f'],
      ['NaN', { nested: { x: Number.NaN } }, 'config.nested.x'],
      ['Infinity in an array', { weights: [1, Number.POSITIVE_INFINITY] }, 'config.weights[1]'],
    ])('rejects %s with CONFIG_NOT_CANONICAL naming the path', async (_what, config, at) => {
      const err = await tracker.run(Untyped, { config }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CONFIG_NOT_CANONICAL', details: { path: at } });
      expect(await tracker.findRuns()).toEqual([]);
      expect(calls).toBe(0);
    });

    it('rejects a non-canonical value in a config-class instance too', async () => {
      const cfg = Object.assign(new ThresholdConfig(), { weights: [Number.NaN] });
      await expect(tracker.run(Thresholds, { inputs: { raw }, config: cfg }))
        .rejects.toMatchObject({ code: 'CONFIG_NOT_CANONICAL', details: { path: 'config.weights[0]' } });
    });
  });

  describe('dependsOn', () => {
    it('invalidates the cache when a dependsOn file changes, and only then', async () => {
      const settings = ws.file('settings.yaml', 'speed: 1\n');
      const first = await tracker.run(Untyped, { dependsOn: [settings] });
      expect((await tracker.run(Untyped, { dependsOn: [settings] })).cacheHit).toBe(true);

      writeFileSync(settings, 'speed: 2\n');
      const changed = await tracker.run(Untyped, { dependsOn: [settings] });
      expect(changed.cacheHit).toBe(false);
      expect(changed.cacheMissReason).toMatchObject({
        reason: 'inputs_changed', details: { inputsChanged: [{ key: 'dependsOn:settings.yaml', change: 'content' }] },
      });
      const inputs = (await tracker.getArtifactsForRun(changed.run.id)).inputs;
      expect(Object.keys(inputs)).toEqual(['dependsOn:settings.yaml']);
      expect(calls).toBe(2);
      expect(first.run.signature).not.toBe(changed.run.signature);
    });

    it('misses when a dependsOn file is added, and fails with INPUT_NOT_FOUND when it is missing', async () => {
      await tracker.run(Untyped);
      const extra = ws.file('extra.json', '{}');
      const added = await tracker.run(Untyped, { dependsOn: [extra] });
      expect(added.cacheMissReason?.details.inputsChanged).toEqual([{ key: 'dependsOn:extra.json', change: 'added' }]);
      await expect(tracker.run(Untyped, { dependsOn: [ws.path('gone.yaml')] })).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    });
  });

  describe('a cache-hit run', () => {
    it('records cacheHit and reusedRunId in the DB and the snapshot, and never a miss explanation', async () => {
      const first = await tracker.run(Thresholds, { inputs: { raw } });
      const hit = await tracker.run(Thresholds, { inputs: { raw } });
      expect(hit.cacheHit).toBe(true);
      expect(hit.cacheMissReason).toBeUndefined();
      expect(hit.run.meta.cacheMissExplanation).toBeUndefined();

      const row = await tracker.getRun(hit.run.id);
      expect(row).toMatchObject({ status: 'completed', cacheHit: true, reusedRunId: first.run.id, signature: first.run.signature });
      expect(row?.meta.cacheMissExplanation).toBeUndefined();
      expect(await tracker.explainCacheMiss(hit.run.id)).toBeUndefined();

      const snap = snapshot(hit.run.id);
      expect(snap.run).toMatchObject({ cacheHit: true, reusedRunId: first.run.id, status: 'completed' });
      expect(snap.run.meta.cacheMissExplanation).toBeUndefined();
      expect(snap.artifacts.filter((a) => a.direction === 'output').map((a) => a.artifact.id)).toEqual([first.outputs.out.id]);

      expect(snapshot(first.run.id).run.meta.cacheMissExplanation).toMatchObject({ reason: 'no_similar_prior_run' });
      expect((await tracker.getRun(first.run.id))?.cacheHit).toBe(false);
    });

    it('points a hit of a hit back at the run that executed', async () => {
      const first = await tracker.run(Thresholds, { inputs: { raw } });
      await tracker.run(Thresholds, { inputs: { raw } });
      const third = await tracker.run(Thresholds, { inputs: { raw } });
      expect(third.run.reusedRunId).toBe(first.run.id);
      expect((await tracker.getRun(third.run.id))?.reusedRunId).toBe(first.run.id);
      expect(calls).toBe(1);
    });

    it('is not invalidated by tags or facet, which are not hashed', async () => {
      await tracker.run(Thresholds, { inputs: { raw }, tags: ['a'], facet: { region: 'north' } });
      const r = await tracker.run(Thresholds, { inputs: { raw }, tags: ['b'], facet: { region: 'south' } });
      expect(r.cacheHit).toBe(true);
      expect(r.run.tags).toEqual(['b']);
    });
  });
});
