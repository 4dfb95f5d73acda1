import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../../../src/index';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

describe('manual run lifecycle', () => {
  let ws: Workspace;
  let tracker: Tracker;
  beforeEach(async () => {
    ws = tmpWorkspace();
    tracker = await openTestTracker(ws);
  });
  afterEach(async () => {
    await tracker.close();
    ws.cleanup();
  });

  it('records a completed run with its artifacts in the snapshot and the DB', async () => {
    const input = ws.file('data/households.csv', 'id,size\n1,2\n2,3\n');
    const out = ws.file('out/persons.csv', 'id,income\n1,50000\n');
    await tracker.startRun('run_1', { model: 'asim', year: 2010, tags: ['base'] }, async () => {
      await tracker.logArtifact(input, { key: 'households', direction: 'input' });
      await tracker.logArtifact(out, { key: 'persons' });
    });
    const run = await tracker.getRun('run_1');
    expect(run).toMatchObject({ status: 'completed', model: 'asim', year: 2010, tags: ['base'], kind: 'manual' });
    const snap = JSON.parse(readFileSync(path.join(tracker.runDir, 'run_1', 'consist.json'), 'utf8'));
    expect(snap.run.status).toBe('completed');
    expect(snap.artifacts.map((a: { key: string }) => a.key).sort()).toEqual(['households', 'persons']);
    const arts = await tracker.getArtifactsForRun('run_1');
    expect(arts.inputs.households.driver).toBe('csv');
    expect(arts.outputs.persons.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const table = await tracker.load(arts.outputs.persons);
    expect(table.numRows).toBe(1);
  });

  it('marks the run failed with the error recorded, and rethrows', async () => {
    await expect(tracker.startRun('run_fail', {}, async () => {
      throw new Error('Something went wrong');
    })).rejects.toThrow('Something went wrong');
    const run = await tracker.getRun('run_fail');
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toBe('Something went wrong');
    const snap = JSON.parse(readFileSync(path.join(tracker.runDir, 'run_fail', 'consist.json'), 'utf8'));
    expect(snap.run.error.message).toBe('Something went wrong');
  });

  it('rejects a nested startRun with RUN_ALREADY_ACTIVE', async () => {
    await tracker.startRun('outer', {}, async () => {
      await expect(tracker.startRun('inner', {}, async () => undefined)).rejects.toMatchObject({ code: 'RUN_ALREADY_ACTIVE' });
    });
    expect(await tracker.getRun('inner')).toBeUndefined();
  });

  it('rejects invalid keys, ids and option types before recording anything', async () => {
    const f = ws.file('a.csv', 'x\n1\n');
    await tracker.startRun('keys', {}, async () => {
      await expect(tracker.logArtifact(f, { key: '../etc' })).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
      await expect(tracker.logArtifact(f, { key: 'a b' })).rejects.toMatchObject({ code: 'ARTIFACT_KEY_INVALID' });
      await expect(tracker.logArtifact(ws.path('nope.csv'), { direction: 'input' })).rejects.toMatchObject({ code: 'ARTIFACT_NOT_FOUND' });
    });
    await expect(tracker.beginRun('../x')).rejects.toMatchObject({ code: 'RUN_ID_INVALID' });
    await expect(tracker.beginRun('ok', { year: 'x' as unknown as number })).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(tracker.beginRun('keys', { model: 'other' })).rejects.toMatchObject({ code: 'RUN_ID_CONFLICT' });
    expect((await tracker.findRuns()).map((r) => r.id)).toEqual(['keys']);
  });

  it('auto-links an input to the run that produced the same file', async () => {
    const f = ws.file('shared/result.csv', 'x\n1\n');
    await tracker.startRun('producer', {}, async () => { await tracker.logArtifact(f, { key: 'result' }); });
    await tracker.startRun('consumer', {}, async () => {
      const a = await tracker.logArtifact(f, { key: 'result', direction: 'input' });
      expect(a.runId).toBe('producer');
    });
    const lineage = await tracker.lineage((await tracker.getArtifactsForRun('consumer')).inputs.result);
    expect(lineage.producer?.run.id).toBe('producer');
  });

  it('finds runs by tags exactly, and by other filters', async () => {
    await tracker.startRun('a', { tags: ['baseline'], year: 2020 }, async () => undefined);
    await tracker.startRun('b', { tags: ['baseline2'], year: 2030 }, async () => undefined);
    expect((await tracker.findRuns({ tags: ['baseline'] })).map((r) => r.id)).toEqual(['a']);
    const byYear = await tracker.findRuns({ indexBy: 'year' });
    expect(byYear.get(2030)?.id).toBe('b');
    await expect(tracker.findRun({ model: 'none' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await expect(tracker.findRun({})).rejects.toMatchObject({ code: 'RUN_AMBIGUOUS' });
  });
});

describe('Tracker.open', () => {
  it('rejects bad options with CONFIGURATION_INVALID before creating anything', async () => {
    const ws = tmpWorkspace();
    await expect(Tracker.open({ runDir: ws.path('r'), hashing: 'slow' as 'full', logger: memoryLogger() }))
      .rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    await expect(Tracker.open(undefined as never)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(require('node:fs').existsSync(ws.path('r'))).toBe(false);
    ws.cleanup();
  });
});
