import { expectTypeOf } from 'expect-type';
import { Table } from 'apache-arrow';
import {
  CouplerSchema, Input, Scenario, ScenarioBase, Slot, Step, StepBase, type Artifact, type ScenarioContext, type Tracker,
} from '../../../src/index';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const counts: Record<string, number> = {};
const bump = (k: string) => { counts[k] = (counts[k] ?? 0) + 1; };

@CouplerSchema()
class Chain {
  @Slot({ description: 'base rows' }) base!: Artifact;
  @Slot() grown!: Artifact;
  @Slot({ required: true }) summary!: Artifact;
}

@Step({ outputs: ['base'], codeVersion: '1' })
class MakeBase extends StepBase {
  async run() { bump('base'); return { base: [{ id: 1, v: 10 }, { id: 2, v: 20 }] }; }
}

class GrowConfig { factor = 2; }

@Step({ outputs: ['grown'], config: GrowConfig, codeVersion: '1' })
class Grow extends StepBase<GrowConfig> {
  async run(@Input('base') base: Table) {
    bump('grow');
    const rows = base.toArray().map((r) => ({ id: Number(r.id), v: Number(r.v) * this.config.factor * (this.ctx.year ?? 1) }));
    return { grown: rows };
  }
}

@Step({ outputs: ['summary'], codeVersion: '1' })
class Summarize extends StepBase {
  async run(@Input('grown') grown: Table) {
    bump('sum');
    return { summary: [{ n: grown.numRows }] };
  }
}

@Scenario({ name: 'chain', model: 'demo', coupler: Chain })
class ChainScenario extends ScenarioBase<Chain> {
  async run(sc: ScenarioContext<Chain>) {
    await sc.run(MakeBase);
    for (const year of [2020, 2030]) await sc.run(Grow, { year, config: { factor: 3 } });
    await sc.run(Summarize);
  }
}

describe('scenarios', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    for (const k of Object.keys(counts)) delete counts[k];
    ws = tmpWorkspace();
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('runs steps as children of a completed header, resolving @Input from the coupler', async () => {
    const result = await tracker.scenario(ChainScenario);
    expect(result.run).toMatchObject({ id: 'chain', kind: 'scenario', status: 'completed', model: 'demo' });
    expect(result.steps.map((s) => s.run.id)).toEqual(['chain_MakeBase', 'chain_Grow_2020', 'chain_Grow_2030', 'chain_Summarize']);
    expect(result.steps.every((s) => s.run.parentRunId === 'chain')).toBe(true);
    expect(result.coupler.summary.key).toBe('summary');
    expect((await tracker.findRuns({ parentId: 'chain', indexBy: 'year' })).get(2030)?.id).toBe('chain_Grow_2030');
  });

  it('re-running the scenario creates a new header whose steps all hit the cache', async () => {
    await tracker.scenario(ChainScenario);
    const again = await tracker.scenario(ChainScenario);
    // Run ids are names (API.md §10): the second execution is `chain~2`, and `chain` resolves to it.
    expect(again.run.id).toBe('chain~2');
    expect(again.steps.every((s) => s.cacheHit)).toBe(true);
    expect(again.steps.every((s) => s.run.parentRunId === 'chain~2')).toBe(true);
    expect((await tracker.getRun('chain'))?.id).toBe('chain~2');
    expect((await tracker.findRun({ parentId: 'chain', year: 2030 })).id).toBe('chain_Grow_2030~2');
    expect(counts).toEqual({ base: 1, grow: 2, sum: 1 });
  });

  it('fails the header with the failing step recorded, and rethrows', async () => {
    @Step({ outputs: ['x'], codeVersion: '1' })
    class Explode extends StepBase { async run(): Promise<{ x: string }> { throw new Error('boom'); } }
    const err = await tracker.scenario('explodes', {}, async (sc) => { await sc.run(Explode); }).catch((e) => e);
    expect(err.code).toBe('STEP_FAILED');
    const header = await tracker.getRun('explodes');
    expect(header?.status).toBe('failed');
    expect(header?.error?.failedStep).toBe('Explode');
    expect(header?.error?.message).toContain('boom');
  });

  it('fails with SCENARIO_OUTPUTS_MISSING when a required slot is never set', async () => {
    const err = await tracker.scenario<Chain>('partial', { coupler: Chain }, async (sc) => { await sc.run(MakeBase); }).catch((e) => e);
    expect(err.code).toBe('SCENARIO_OUTPUTS_MISSING');
    const header = await tracker.getRun('partial');
    expect(header?.status).toBe('failed');
    expect(header?.meta.missingOutputs).toEqual(['summary']);
  });

  it('raises COUPLER_KEY_MISSING naming available keys when an @Input is not in the coupler', async () => {
    const err = await tracker.scenario('nokey', {}, async (sc) => { await sc.run(Summarize); }).catch((e) => e);
    expect(err.code).toBe('COUPLER_KEY_MISSING');
    expect(err.details.available).toEqual([]);
    await expect(tracker.scenario<Chain>('typed', { coupler: Chain }, async (sc) => { void sc.coupler.base; }))
      .rejects.toMatchObject({ code: 'COUPLER_KEY_MISSING' });
  });

  it('sc.trace always runs its block, and prefills the coupler on a hit', async () => {
    let traced = 0;
    const seen: string[][] = [];
    const body = async (sc: ScenarioContext) => {
      await sc.run(MakeBase);
      await sc.trace('report', { inputs: ['base'], outputs: ['report'] }, async (ctx) => {
        traced++;
        seen.push(sc.coupler.keys());
        await ctx.logTable([{ ok: true }], { key: 'report' });
      });
    };
    await tracker.scenario('traced', {}, body);
    const second = await tracker.scenario('traced', {}, body);
    expect(traced).toBe(2);
    expect(seen[0]).toEqual(['base']);
    expect(seen[1]).toEqual(['base', 'report']);
    expect(second.coupler.has('report')).toBe(true);
    expect(counts.base).toBe(1);
    expect(second.steps.map((r) => r.cacheHit)).toEqual([true, true]);
  });

  it('warns once for an undeclared key under a strict schema, and supports declared outputs', async () => {
    const logger = memoryLogger();
    const t2 = await openTestTracker(ws, { runDir: ws.path('r2'), logger });
    try {
      await t2.scenario<Chain>('strict', { coupler: Chain }, async (sc) => {
        const base = (await sc.run(MakeBase)).outputs.base;
        sc.coupler.set('extra', base);
        sc.coupler.set('extra', base);
        sc.coupler.summary = base;
        sc.declareOutputs({ extra: true, optional: false });
        expect(sc.coupler.missingDeclaredOutputs()).toEqual([]);
      });
      expect(logger.warnings.filter((w) => w.includes("'extra'"))).toHaveLength(1);
    } finally {
      await t2.close();
    }
  });

  it('walks lineage over the 3-step chain, cycle-safe and bounded by maxDepth', async () => {
    const result = await tracker.scenario(ChainScenario);
    const tree = await tracker.lineage(result.coupler.summary);
    expect(tree.producer?.run.name).toBe('Summarize');
    const grown = tree.producer!.inputs.find((n) => n.artifact.key === 'grown')!;
    expect(grown.producer?.run.id).toBe('chain_Grow_2030');
    const base = grown.producer!.inputs.find((n) => n.artifact.key === 'base')!;
    expect(base.producer?.run.id).toBe('chain_MakeBase');
    expect(base.producer?.inputs).toEqual([]);
    const shallow = await tracker.lineage(result.coupler.summary.id, { maxDepth: 1 });
    expect(shallow.producer?.inputs[0].truncated).toBe(true);
    await expect(tracker.lineage(result.coupler.summary, { maxDepth: -1 })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('types slots on the coupler', () => {
    type C = ScenarioContext<Chain>['coupler'];
    expectTypeOf<C['base']>().toEqualTypeOf<Artifact>();
    // @ts-expect-error a typo in a slot name is a compile error
    expectTypeOf<C['bsae']>().toEqualTypeOf<Artifact>();
  });
});
