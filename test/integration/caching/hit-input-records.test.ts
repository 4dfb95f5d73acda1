import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Tracker } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const step = (inputs: Record<string, string>) => ({
  name: 'summarise', config: { k: 1 }, inputs, outputs: ['summary'],
  fn: async (_in: unknown, ctx: { runDir: string }) => {
    writeFileSync(path.join(ctx.runDir, 'summary.txt'), 'ok');
    return { summary: 'summary.txt' };
  },
});

const artifactCount = async (t: Tracker) => Number((await t.sql('SELECT count(*) AS n FROM artifact'))[0].n);

describe.each(['exclusive', 'shared'] as const)('a cache hit links the input records its matched run linked (%s lock mode)', (lockMode) => {
  let ws: Workspace;
  let tracker: Tracker;
  let zones: string;
  let skims: string;
  beforeEach(async () => {
    ws = tmpWorkspace('consist-hit-inputs-');
    tracker = await openTestTracker(ws, { lockMode });
    zones = ws.file('zones.csv', 'zone,pop\n1,10\n');
    skims = ws.file('skims.csv', 'o,d,t\n1,1,0\n');
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('adds no artifact rows per hit: the hits link the first run\'s input records', async () => {
    const miss = await tracker.run(step({ zones, skims }));
    expect(miss.cacheHit).toBe(false);
    await tracker.drain();
    const rows = await artifactCount(tracker);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await tracker.run(step({ zones, skims })));
    expect(hits.every((h) => h.cacheHit)).toBe(true);
    await tracker.drain();
    expect(await artifactCount(tracker)).toBe(rows);
    const first = await tracker.getArtifactsForRun(miss.run.id);
    for (const h of hits) {
      const linked = await tracker.getArtifactsForRun(h.run.id);
      expect(linked.inputs.zones?.id).toBe(first.inputs.zones?.id);
      expect(linked.inputs.skims?.id).toBe(first.inputs.skims?.id);
      expect(linked.outputs.summary?.id).toBe(first.outputs.summary?.id);
    }
  });

  it('records a changed input anew (a miss), and a hit of that run links the new record', async () => {
    const first = await tracker.run(step({ zones, skims }));
    writeFileSync(zones, 'zone,pop\n1,11\n');
    const changed = await tracker.run(step({ zones, skims }));
    expect(changed.cacheHit).toBe(false);
    const hit = await tracker.run(step({ zones, skims }));
    expect(hit.cacheHit).toBe(true);
    expect(hit.run.reusedRunId).toBe(changed.run.id);
    await tracker.drain();
    const [a, b, c] = await Promise.all([first, changed, hit].map((r) => tracker.getArtifactsForRun(r.run.id)));
    expect(b.inputs.zones?.id).not.toBe(a.inputs.zones?.id);
    expect(b.inputs.zones?.hash).not.toBe(a.inputs.zones?.hash);
    expect(c.inputs.zones?.id).toBe(b.inputs.zones?.id);
    expect(b.inputs.skims?.hash).toBe(a.inputs.skims?.hash); // unchanged content; an executed run records its inputs anew
  });

  it('fails a hit whose input is gone with INPUT_NOT_FOUND, before anything is recorded', async () => {
    await tracker.run(step({ zones, skims }));
    await tracker.drain();
    const runs = (await tracker.findRuns({})).length;
    const gone = path.join(path.dirname(zones), 'gone.csv');
    await expect(tracker.run(step({ zones: gone, skims }))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await tracker.drain();
    expect((await tracker.findRuns({})).length).toBe(runs);
  });
});
