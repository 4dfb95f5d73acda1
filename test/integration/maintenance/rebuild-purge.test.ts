import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compact, purge, rebuild } from '../../../src/index';
import { dumpMetadata, makeFixture, withDb, writeRunningSnapshot, type Fixture } from './fixture';

describe('rebuild', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeFixture();
  });
  afterEach(() => fx.ws.cleanup());

  it('recreates the same metadata rows from snapshots, keeping hot tables, and is idempotent', async () => {
    await withDb(fx.dbPath, async (db) => {
      await db.run('CREATE TABLE hot.persons (id INTEGER, consist_run_id VARCHAR)');
      await db.run("INSERT INTO hot.persons VALUES (1, 'r1')");
      await db.run("DELETE FROM run WHERE id = 'r2'");
      await db.run("INSERT INTO run_artifact_link VALUES ('ghost', 'a_x', 'k', 'output')");
    });
    const before = await dumpMetadata(fx.dbPath);
    const original = { ...before, run: [] as unknown[] };
    void original;

    const first = await rebuild(fx.runDir, fx.dbPath);
    const rebuilt = await dumpMetadata(fx.dbPath);
    const second = await rebuild(fx.runDir, fx.dbPath);

    expect(first).toMatchObject({ dryRun: false, snapshots: 3, runs: 3, errors: [], droppedRuns: [] });
    expect(rebuilt.run.map((r) => (r as { id: string }).id)).toEqual(['r1', 'r2', 'r3']);
    expect(rebuilt.run_artifact_link).not.toContainEqual(expect.objectContaining({ run_id: 'ghost' }));
    expect(second).toEqual(first);
    expect(await dumpMetadata(fx.dbPath)).toEqual(rebuilt);
    const hot = await withDb(fx.dbPath, (db) => db.all('SELECT count(*)::INTEGER AS n FROM hot.persons'));
    expect(hot[0].n).toBe(1);
  });

  it('rebuilds a deleted database into rows equal to the original', async () => {
    const original = await dumpMetadata(fx.dbPath);
    rmSync(fx.dbPath);
    rmSync(`${fx.dbPath}.wal`, { force: true });

    const report = await rebuild(fx.runDir, fx.dbPath);

    expect(report).toMatchObject({ runs: 3, artifacts: 3, links: 5, errors: [] });
    expect(await dumpMetadata(fx.dbPath)).toEqual(original);
  });

  it('collects malformed snapshots into errors instead of failing', async () => {
    mkdirSync(path.join(fx.runDir, 'broken'));
    writeFileSync(path.join(fx.runDir, 'broken', 'consist.json'), '{ not json');
    mkdirSync(path.join(fx.runDir, 'moved'));
    writeFileSync(path.join(fx.runDir, 'moved', 'consist.json'), readFileSync(path.join(fx.runDir, 'r3', 'consist.json')));

    const report = await rebuild(fx.runDir, fx.dbPath);

    expect(report.runs).toBe(3);
    expect(report.errors.map((e) => e.id)).toEqual(['broken', 'moved']);
    expect(report.errors[1].error).toMatch(/does not match its folder/);
  });

  it('changes nothing on a dry run, and reports runs it would drop', async () => {
    rmSync(path.join(fx.runDir, 'r3'), { recursive: true });
    const before = await dumpMetadata(fx.dbPath);
    const report = await rebuild(fx.runDir, fx.dbPath, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, runs: 2, droppedRuns: ['r3'] });
    expect(await dumpMetadata(fx.dbPath)).toEqual(before);
  });
});

describe('purge', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeFixture();
  });
  afterEach(() => fx.ws.cleanup());

  it('changes nothing on a dry run and lists what would go', async () => {
    const before = await dumpMetadata(fx.dbPath);
    const plan = await purge(fx.runDir, fx.dbPath, { runId: 'r1', dryRun: true });
    expect(plan).toEqual({
      dryRun: true, runs: ['r1', 'r2'], folders: [path.join(fx.runDir, 'r1'), path.join(fx.runDir, 'r2')],
      artifacts: expect.arrayContaining([fx.artifacts.persons]), keptArtifacts: [fx.artifacts.summary], hotRows: 0,
    });
    expect(plan.artifacts).toHaveLength(2);
    expect(await dumpMetadata(fx.dbPath)).toEqual(before);
    expect(existsSync(path.join(fx.runDir, 'r1', 'consist.json'))).toBe(true);
  });

  it('deletes the run, its children, their folders, rows and unused artifacts', async () => {
    await withDb(fx.dbPath, async (db) => {
      await db.run('CREATE TABLE hot.persons (id INTEGER, consist_run_id VARCHAR)');
      await db.run("INSERT INTO hot.persons VALUES (1, 'r1'), (2, 'r3')");
    });
    const plan = await purge(fx.runDir, fx.dbPath, { runId: 'r1' });
    expect(plan.hotRows).toBe(1);
    expect(existsSync(path.join(fx.runDir, 'r1'))).toBe(false);
    expect(existsSync(path.join(fx.runDir, 'r2'))).toBe(false);
    const after = await dumpMetadata(fx.dbPath);
    expect(after.run.map((r) => (r as { id: string }).id)).toEqual(['r3']);
    expect(after.artifact.map((a) => (a as { id: string }).id)).toEqual([fx.artifacts.summary]);
    expect(after.run_config_kv).toEqual([]);
    const hot = await withDb(fx.dbPath, (db) => db.all('SELECT consist_run_id FROM hot.persons'));
    expect(hot).toEqual([{ consist_run_id: 'r3' }]);
    expect((await rebuild(fx.runDir, fx.dbPath)).runs).toBe(1);
  });

  it('keeps child runs with children: false', async () => {
    const plan = await purge(fx.runDir, fx.dbPath, { runId: 'r1', children: false, dryRun: true });
    expect(plan.runs).toEqual(['r1']);
    expect(plan.keptArtifacts).toEqual([fx.artifacts.persons]);
  });

  it('refuses a run folder that resolves outside the runs folder', async () => {
    const outside = fx.ws.file('elsewhere/precious.txt', 'keep me');
    rmSync(path.join(fx.runDir, 'r3'), { recursive: true });
    symlinkSync(path.dirname(outside), path.join(fx.runDir, 'r3'));
    await expect(purge(fx.runDir, fx.dbPath, { runId: 'r3' })).rejects.toMatchObject({ code: 'MAINTENANCE_UNSAFE_PATH' });
    expect(existsSync(outside)).toBe(true);
    expect((await dumpMetadata(fx.dbPath)).run).toHaveLength(3);
  });

  it('rejects ids that escape the runs folder, unknown runs and live runs', async () => {
    await expect(purge(fx.runDir, fx.dbPath, { runId: '../elsewhere' })).rejects.toMatchObject({ code: 'RUN_ID_INVALID' });
    await expect(purge(fx.runDir, fx.dbPath, { runId: 'nope' })).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    writeRunningSnapshot(fx.runDir, 'live', process.pid);
    await expect(purge(fx.runDir, fx.dbPath, { runId: 'live' })).rejects.toMatchObject({ code: 'MAINTENANCE_RUN_ACTIVE' });
  });
});

describe('compact', () => {
  it('reports sizes, shrinks after deletes, and keeps every row', async () => {
    const fx = await makeFixture();
    try {
      await withDb(fx.dbPath, (db) => db.run("CREATE TABLE hot.big AS SELECT range AS id, md5(range::VARCHAR) AS s, 'r1' AS consist_run_id FROM range(200000)"));
      await withDb(fx.dbPath, (db) => db.run('DELETE FROM hot.big WHERE id > 10'));
      const before = await dumpMetadata(fx.dbPath);
      const report = await compact(fx.dbPath);
      expect(report.rewritten).toBe(true);
      expect(report.sizeAfter).toBeLessThan(report.sizeBefore);
      expect(await dumpMetadata(fx.dbPath)).toEqual(before);
      await expect(compact(path.join(fx.ws.dir, 'missing.duckdb'))).rejects.toMatchObject({ code: 'MAINTENANCE_NOT_FOUND' });
    } finally {
      fx.ws.cleanup();
    }
  });
});
