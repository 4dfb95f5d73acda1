import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../../../src/index';
import { doctor } from '../../../src/index';
import { memoryLogger } from '../../helpers/workspace';
// Internal on purpose: this test observes the store below the public API (see eslint.config.mjs).
import { SCHEMA_VERSION } from '../../../src/provenance/migrations';
import { syncSnapshot } from '../../../src/provenance/snapshot-sync';
import { DEAD_PID, makeFixture, withDb, writeRunningSnapshot, type Fixture } from './fixture';

describe('doctor', () => {
  let fx: Fixture;
  beforeEach(async () => {
    fx = await makeFixture();
  });
  afterEach(() => fx.ws.cleanup());

  it('reports a healthy runs folder as ok', async () => {
    const report = await doctor(fx.runDir, fx.dbPath);
    expect(report).toMatchObject({
      ok: true, schemaVersion: SCHEMA_VERSION, expectedSchemaVersion: SCHEMA_VERSION, runsStuckRunning: [],
      snapshotsMissingFromDb: [], dbRowsWithoutSnapshot: [], artifactsMissingFiles: [], pendingSync: [],
    });
  });

  it('sees the runs an open tracker of this process has not committed yet (their indexers drain first)', async () => {
    const tracker = await Tracker.open({ runDir: fx.runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      const r = await tracker.run({ name: 'late', fn: () => ({}) });
      // Still queued: the marker is cleared only after the DB commit.
      const pendingBefore = readdirSync(path.join(fx.runDir, '.consist', 'pending'));
      const report = await doctor(fx.runDir, fx.dbPath);
      expect(pendingBefore).toContain(r.run.id);
      expect(report).toMatchObject({ ok: true, snapshotsMissingFromDb: [], pendingSync: [] });
    } finally {
      await tracker.close();
    }
  });

  it('finds every kind of problem', async () => {
    await withDb(fx.dbPath, (db) => db.run("DELETE FROM run WHERE id = 'r3'"));
    rmSync(path.join(fx.runDir, 'r2', 'consist.json'));
    rmSync(path.join(fx.runDir, 'r1', 'persons.csv'));
    writeRunningSnapshot(fx.runDir, 'zombie', DEAD_PID);
    mkdirSync(path.join(fx.runDir, '.consist', 'pending'), { recursive: true });
    writeFileSync(path.join(fx.runDir, '.consist', 'pending', 'r1'), '');
    mkdirSync(path.join(fx.runDir, 'broken'));
    writeFileSync(path.join(fx.runDir, 'broken', 'consist.json'), '{ not json');

    const report = await doctor(fx.runDir, fx.dbPath);

    expect(report.ok).toBe(false);
    expect(report.snapshotsMissingFromDb).toEqual(['r3', 'zombie']);
    expect(report.dbRowsWithoutSnapshot).toEqual(['r2']);
    expect(report.artifactsMissingFiles).toEqual([
      { id: fx.artifacts.persons, uri: 'run://r1/persons.csv', path: path.join(fx.runDir, 'r1', 'persons.csv') },
    ]);
    expect(report.runsStuckRunning).toEqual([expect.objectContaining({ id: 'zombie', pid: DEAD_PID, alive: false })]);
    expect(report.pendingSync).toEqual(['r1']);
    expect(report.unreadableSnapshots).toEqual([{ id: 'broken', error: expect.stringContaining('unreadable') }]);
  });

  it('with fix, marks a dead running run failed in snapshot and DB and syncs missing snapshots', async () => {
    writeRunningSnapshot(fx.runDir, 'zombie', DEAD_PID);
    await withDb(fx.dbPath, (db) => db.run("DELETE FROM run WHERE id = 'r3'"));

    const report = await doctor(fx.runDir, fx.dbPath, { fix: true });

    expect(report.fixed).toEqual({ markedFailed: ['zombie'], synced: ['r3', 'zombie'] });
    expect(report.ok).toBe(true);
    const snap = JSON.parse(readFileSync(path.join(fx.runDir, 'zombie', 'consist.json'), 'utf8'));
    expect(snap.run).toMatchObject({ status: 'failed', error: { message: 'process died', code: 'PROCESS_DIED' } });
    const rows = await withDb(fx.dbPath, (db) => db.all("SELECT status, error FROM run WHERE id = 'zombie'"));
    expect(rows[0].status).toBe('failed');
    expect(JSON.parse(String(rows[0].error)).message).toBe('process died');
  });

  it('fixes a dead running run that only exists in the DB', async () => {
    writeRunningSnapshot(fx.runDir, 'zombie', DEAD_PID);
    await withDb(fx.dbPath, async (db) => {
      const snap = JSON.parse(readFileSync(path.join(fx.runDir, 'zombie', 'consist.json'), 'utf8'));
      await db.transaction((tx) => syncSnapshot(tx, snap));
    });
    rmSync(path.join(fx.runDir, 'zombie'), { recursive: true });

    const report = await doctor(fx.runDir, fx.dbPath, { fix: true });

    expect(report.fixed?.markedFailed).toEqual(['zombie']);
    expect(report.runsStuckRunning).toEqual([]);
    expect(report.dbRowsWithoutSnapshot).toEqual(['zombie']);
  });

  it('does not report a run whose process is alive', async () => {
    writeRunningSnapshot(fx.runDir, 'live', process.pid);
    const report = await doctor(fx.runDir, fx.dbPath);
    expect(report.runsStuckRunning).toEqual([]);
  });
});
