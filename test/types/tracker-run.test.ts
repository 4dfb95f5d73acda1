import type { Table } from 'apache-arrow';
import { IsNumber, Min } from 'class-validator';
import { expectTypeOf } from 'expect-type';
import type { CacheMissExplanation } from '../../src/cache/miss-explanation';
import { Input } from '../../src/decorators/input';
import { Step } from '../../src/decorators/step';
import type { Tracker } from '../../src/tracker/tracker';
import type { Artifact, Run } from '../../src/model';
import type { RunResult } from '../../src/runtime/run-step-options';
import { StepBase } from '../../src/runtime/step-base';

// These tests are checked by the compiler (ts-jest type-checks this file): a wrong type fails the
// suite, and every `@ts-expect-error` must mark a real error. Nothing here touches a database.

class CleaningConfig {
  @IsNumber() @Min(0) threshold = 0.5;
  label = 'x';
}

@Step({ outputs: ['cleaned', 'dropped'], config: CleaningConfig })
class CleanData extends StepBase<CleaningConfig> {
  async run(@Input('raw') raw: Table): Promise<{ cleaned: Table; dropped: Record<string, unknown>[] }> {
    return { cleaned: raw, dropped: [] };
  }
}

@Step(['out'])
class NoConfig extends StepBase {
  async run(@Input('raw', { as: 'path' }) raw: string): Promise<{ out: string }> {
    return { out: raw };
  }
}

/** Never called: only compiled. */
async function classSteps(tracker: Tracker, artifact: Artifact): Promise<void> {
  const result = await tracker.run(CleanData, { inputs: { raw: 'data/raw.csv' }, config: { threshold: 0.7 } });
  expectTypeOf(result.outputs.cleaned).toEqualTypeOf<Artifact>();
  expectTypeOf(result.outputs).toEqualTypeOf<{ cleaned: Artifact; dropped: Artifact }>();
  expectTypeOf(result.cacheHit).toEqualTypeOf<boolean>();
  expectTypeOf(result.run).toEqualTypeOf<Run>();
  expectTypeOf(result.cacheMissReason).toEqualTypeOf<CacheMissExplanation | undefined>();
  expectTypeOf(result).toMatchTypeOf<RunResult<{ cleaned: Artifact; dropped: Artifact }>>();

  // @ts-expect-error `nope` is not an output of CleanData
  void result.outputs.nope;

  // @ts-expect-error threshold is a number
  await tracker.run(CleanData, { config: { threshold: 'x' } });

  // @ts-expect-error thresholdd is not a field of CleaningConfig
  await tracker.run(CleanData, { config: { thresholdd: 1 } });

  // A config-class instance, a partial config, an Artifact input and no options at all are fine.
  await tracker.run(CleanData, { config: new CleaningConfig() });
  await tracker.run(CleanData, { config: { label: 'only-label' }, inputs: { raw: artifact } });
  await tracker.run(CleanData);

  // @ts-expect-error an input is a path, URI or Artifact
  await tracker.run(CleanData, { inputs: { raw: 42 } });

  // @ts-expect-error not a cache mode
  await tracker.run(CleanData, { cacheMode: 'sometimes' });

  // @ts-expect-error not a hydration mode
  await tracker.run(CleanData, { cacheHydration: 'everything' });

  const plain = await tracker.run(NoConfig, { inputs: { raw: 'x.csv' }, config: { anything: 1 } });
  expectTypeOf(plain.outputs).toEqualTypeOf<{ out: Artifact }>();
  // @ts-expect-error `cleaned` belongs to another step
  void plain.outputs.cleaned;
}

/** Never called: only compiled. */
async function functionSteps(tracker: Tracker): Promise<void> {
  const r = await tracker.run({ name: 'double', outputs: ['out'], config: { k: 2 }, fn: async (_inputs, ctx) => {
    expectTypeOf(ctx.config).toEqualTypeOf<{ k: number }>();
    expectTypeOf(ctx.runId).toEqualTypeOf<string>();
    return { out: [] };
  } });
  expectTypeOf(r.outputs).toEqualTypeOf<Record<string, Artifact>>();
  expectTypeOf(r.outputs.anything).toEqualTypeOf<Artifact>();
}

describe('tracker.run types', () => {
  it('compiles the positive and negative cases above', () => {
    expect(typeof classSteps).toBe('function');
    expect(typeof functionSteps).toBe('function');
  });
});
