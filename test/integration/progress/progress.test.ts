import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { purge, Tracker, type ProgressEvent } from '../../../src/index';
import { makeFixture, type Fixture } from '../maintenance/fixture';
import { openTestTracker, tmpWorkspace } from '../../helpers/workspace';
import { writeParquetRows } from '../../helpers/data-files';

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
  it('reports rows appended by ingest (data and file), monotonic, ending at done = total', async () => {
    const ws = tmpWorkspace('consist-progress-');
    const events: ProgressEvent[] = [];
    const tracker = await openTestTracker(ws, { onProgress: (e) => events.push({ ...e }) });
    try {
      const file = await writeParquetRows(ws.path('data', 'p.parquet'), [{ id: 1 }, { id: 2 }, { id: 3 }]);
      const a = await tracker.startRun('r1', {}, () => tracker.logArtifact(file, { key: 'persons' }));
      const b = await tracker.startRun('r2', {}, () => tracker.logArtifact(file, { key: 'people' }));
      await tracker.ingest(a);
      expectMonotonicToDone(events.splice(0), 'ingest');
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i }));
      await tracker.ingest(b, { data: rows });
      expectMonotonicToDone(events, 'ingest');
      expect(events[events.length - 1]).toMatchObject({ done: 5000, total: 5000, item: 'people' });
    } finally {
      await tracker.close();
      ws.cleanup();
    }
  });

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
