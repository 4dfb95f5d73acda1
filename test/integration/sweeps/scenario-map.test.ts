import { Tracker, SweepItemError } from '../../../src/index';
import { Square } from '../../fixtures/sweeps/steps';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

jest.setTimeout(300_000);

describe('sc.map inside a scenario', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-sc-map-');
    tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', lockMode: 'shared' });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('records the items as children of the header and puts their outputs in the coupler', async () => {
    let results: unknown[] = [];
    const sc = await tracker.scenario('sweep_scenario', {}, async (s) => {
      results = await s.map(Square, [{ config: { n: 7 } }, { config: { n: 8 } }], { executor: 'local', concurrency: 1 });
    });
    expect(results.some((r) => r instanceof SweepItemError)).toBe(false);
    const children = await tracker.findRuns({ name: 'Square' });
    expect(children).toHaveLength(2);
    expect(children.every((r) => r.parentRunId === sc.run.id)).toBe(true);
    expect(sc.coupler.get('result')).toBeDefined();
    expect(sc.steps).toHaveLength(2);
  });
});
