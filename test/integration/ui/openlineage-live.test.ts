import { existsSync, readFileSync } from 'node:fs';
import { Tracker } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

describe('Tracker.open({ openLineage: { file } }): OpenLineage events emitted live', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = tmpWorkspace('consist-ol-');
  });
  afterEach(() => ws.cleanup());

  it('appends START then COMPLETE or FAIL for every run, hits included, with the consist facet', async () => {
    const file = ws.path('lineage', 'events.jsonl');
    const tracker = await Tracker.open({ runDir: ws.path('runs'), logger: memoryLogger(), codeIdentity: 'class-source', openLineage: { file, namespace: 'test' } });
    try {
      const step = { name: 'square', config: { i: 2 }, fn: async () => ({ table: [{ i: 2, sq: 4 }] }) };
      await tracker.run({ ...step, runId: 'first' });
      await tracker.run({ ...step, runId: 'again' });
      await expect(tracker.startRun('boom', {}, async () => {
        throw new Error('diverged');
      })).rejects.toThrow('diverged');
    } finally {
      await tracker.close();
    }
    const events = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const of = (id: string) => events.filter((e) => e.run.facets.consist.runId === id);
    expect(of('first').map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(of('again').map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    expect(of('again')[1].run.facets.consist).toMatchObject({ cacheHit: true, reusedRunId: 'first' });
    expect(of('first')[1].outputs).toHaveLength(1);
    expect(of('first')[1].job).toEqual({ namespace: 'test', name: 'square' });
    expect(of('boom').map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(of('boom')[1].run.facets.errorMessage.message).toMatch(/diverged/);
    expect(new Set(of('first').map((e) => e.run.runId)).size).toBe(1);
  });

  it('rejects a malformed openLineage option with CONFIGURATION_INVALID before creating anything', async () => {
    const runDir = ws.path('never');
    await expect(Tracker.open({ runDir, openLineage: { file: '' } })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(Tracker.open({ runDir, openLineage: 'x.jsonl' as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(existsSync(runDir)).toBe(false);
  });
});
