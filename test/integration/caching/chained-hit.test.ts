import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
// Internal on purpose: this test observes the store below the public API (see eslint.config.mjs).
import type { TrackerServices } from '../../../src/di/tracker-services';
import type { Tracker } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** DB units run so far (the `services` of a Tracker are protected; tests peek). */
const units = (t: Tracker) => (t as unknown as { services: TrackerServices }).services.db.lockStats.units;

const produce = {
  name: 'produce', config: { n: 3 }, outputs: ['data'],
  fn: async (_in: unknown, ctx: { runDir: string }) => {
    writeFileSync(path.join(ctx.runDir, 'data.csv'), 'a\n1\n');
    return { data: 'data.csv' };
  },
};
const consume = (input: string) => ({
  name: 'consume', config: { k: 1 }, inputs: { data: input }, outputs: ['summary'],
  fn: async (_in: unknown, ctx: { runDir: string }) => {
    writeFileSync(path.join(ctx.runDir, 'summary.txt'), 'ok');
    return { summary: 'summary.txt' };
  },
});

describe.each(['exclusive', 'shared'] as const)('a chained cache hit (%s lock mode)', (lockMode) => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-chain-');
    tracker = await openTestTracker(ws, { lockMode });
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('links its input to the producer and runs no DB unit', async () => {
    const a = await tracker.run(produce);
    const input = a.outputs.data.path;
    const miss = await tracker.run(consume(input));
    expect(miss.cacheHit).toBe(false);
    const before = units(tracker);
    const hit = await tracker.run(consume(input));
    expect(hit.cacheHit).toBe(true);
    expect(hit.run.reusedRunId).toBe(miss.run.id);
    expect(units(tracker) - before).toBe(0);
    await tracker.drain();
    const links = await tracker.getArtifactsForRun(hit.run.id);
    expect(links.inputs.data?.runId).toBe(a.run.id);
  });
});
