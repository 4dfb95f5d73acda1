import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { purge, Tracker, type ProgressEvent } from '../../../src/index';
import { makeFixture, type Fixture } from '../maintenance/fixture';
import { tmpWorkspace } from '../../helpers/workspace';

/** Events of one task: done never decreases, and the last one is done = total. */
function expectMonotonicToDone(events: ProgressEvent[], task: string): void {
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.task === task)).toBe(true);
  for (let i = 1; i < events.length; i++) expect(events[i].done).toBeGreaterThanOrEqual(events[i - 1].done);
  const last = events[events.length - 1];
  expect(last.total).not.toBeNull();
  expect(last.done).toBe(last.total);
}

describe('onProgress of purge (API.md §14)', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeFixture();
  });
  afterEach(() => fx.ws.cleanup());

  it('reports the database rows, then each deleted run folder, ending at done = total', async () => {
    const events: ProgressEvent[] = [];
    const plan = await purge(fx.runDir, fx.dbPath, { runId: 'r1', onProgress: (e) => events.push({ ...e }) });
    expectMonotonicToDone(events, 'purge');
    expect(events.map((e) => e.item)).toEqual(['database', ...plan.folders]);
    expect(events[0].total).toBe(plan.folders.length + 1);
    expect(existsSync(path.join(fx.runDir, 'r1'))).toBe(false);
  });

  it('reports nothing on a dry run, and a throwing hook does not stop the purge', async () => {
    const events: ProgressEvent[] = [];
    await purge(fx.runDir, fx.dbPath, { runId: 'r1', dryRun: true, onProgress: (e) => events.push(e) });
    expect(events).toEqual([]);
    await purge(fx.runDir, fx.dbPath, { runId: 'r1', onProgress: () => { throw new Error('display broke'); } });
    expect(existsSync(path.join(fx.runDir, 'r1'))).toBe(false);
  });
});

describe('Tracker.open({ onProgress })', () => {
  it('rejects a non-function onProgress with CONFIGURATION_INVALID before creating anything', async () => {
    const ws = tmpWorkspace('consist-progress-');
    try {
      const runDir = ws.path('never');
      await expect(Tracker.open({ runDir, onProgress: 'bar' as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
      await expect(Tracker.open({ runDir, onProgress: {} as never })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
      expect(existsSync(runDir)).toBe(false);
    } finally {
      ws.cleanup();
    }
  });
});
