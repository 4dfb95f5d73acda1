import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Tracker } from '../../../src/index';
import { SnapshotStore } from '../../../src/journal/snapshot-store';
import { Database } from '../../../src/provenance/database';
import { ActiveRun } from '../../../src/recording/active-run';
import { RunRecorder } from '../../../src/recording/run-recorder';
import { Indexer } from '../../../src/journal/indexer';
import { RunIndex } from '../../../src/journal/run-index';
import { compiledLibDir } from '../../integration/reliability/helpers/compiled-lib';
import { runWorker, WORKERS } from '../../integration/reliability/helpers/processes';
import { memoryLogger, openTestTracker, tmpWorkspace } from '../../helpers/workspace';

/** Starts a process that holds the DB of `runDir` (exclusive) for `holdMs`; resolves once it holds it. */
async function startHolder(runDir: string, runId: string, hold: number | { releaseFile: string }): Promise<{ exited: Promise<number | null> }> {
  const job = typeof hold === 'number' ? { runDir, runId, holdMs: hold } : { runDir, runId, ...hold };
  const child = spawn(process.execPath, [path.join(WORKERS, 'hold-worker.js')], {
    env: { ...process.env, CONSIST_LIB: compiledLibDir(), CONSIST_JOB: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('OPENED')) resolve(); });
    child.on('close', () => reject(new Error(`holder exited early: ${out}`)));
  });
  return { exited };
}

describe('durability of the JSON truth', () => {
  /** A Database (exclusive) with the indexer over `runDir`. */
  async function behindOver(runDir: string) {
    mkdirSync(runDir, { recursive: true });
    const db = await Database.open(path.join(runDir, 'provenance.duckdb'));
    const logger = memoryLogger();
    const snapshots = new SnapshotStore(runDir);
    const indexer = new Indexer(db, { snapshots, index: new RunIndex(runDir) }, logger);
    return { db, logger, snapshots, indexer, recorder: new RunRecorder(snapshots, { indexer }) };
  }
  const finished = (id: string, logger = memoryLogger()) => {
    const active = new ActiveRun({ id, kind: 'manual', name: id, model: 'm' }, logger);
    active.finish('completed');
    return active.snapshot();
  };

  it('commits each run alone when its batch fails, so one stale row holds back nothing', async () => {
    const ws = tmpWorkspace();
    try {
      const { db, logger, snapshots, indexer, recorder } = await behindOver(ws.path('runs'));
      // A stale row under one run's id: the batch INSERT of runs announced as fresh fails.
      await db.run(`INSERT INTO run (id, kind, name, status, started_at) VALUES ('stale', 'manual', 'old', 'running', now())`);
      await recorder.persist(finished('good'), { fresh: true });
      await recorder.persist(finished('stale'), { fresh: true });
      await indexer.flush();
      expect(logger.warnings).toEqual([]);
      expect((await db.all('SELECT id, name, status FROM run ORDER BY id'))).toEqual([
        { id: 'good', name: 'good', status: 'completed' }, { id: 'stale', name: 'stale', status: 'completed' }]);
      expect(await snapshots.listPending()).toEqual([]);
      await db.close();
    } finally {
      ws.cleanup();
    }
  });

  it('keeps the snapshot of a run the DB keeps refusing, commits the others, and re-syncs it on the next open', async () => {
    const ws = tmpWorkspace();
    try {
      const { db, logger, snapshots, indexer, recorder } = await behindOver(ws.path('runs'));
      const bad = finished('offline');
      bad.run.startedAt = 'not a time'; // refused by every INSERT (TIMESTAMP cast)
      await recorder.persist(finished('fine'), { fresh: true });
      await recorder.persist(bad, { fresh: true });
      await indexer.flush();
      expect(logger.warnings.join('\n')).toContain('Database sync failed for 1 run(s) (offline)');
      expect(indexer.stats).toMatchObject({ queued: 2, batches: 1, failed: 1 });
      expect((await db.all('SELECT id FROM run')).map((r) => r.id)).toEqual(['fine']);
      expect(JSON.parse(readFileSync(snapshots.snapshotPath('offline'), 'utf8')).run.status).toBe('completed');
      expect(await snapshots.listPending()).toEqual(['offline']);
      await db.close();
      // Repaired on disk (as a user would after reading the warning), it is synced at the next open.
      const fixed = { ...bad, run: { ...bad.run, startedAt: new Date().toISOString() } };
      await snapshots.write(fixed);
      const tracker = await openTestTracker(ws);
      try {
        expect(await tracker.getRun('offline')).toMatchObject({ status: 'completed', name: 'offline' });
        expect(await snapshots.listPending()).toEqual([]);
      } finally {
        await tracker.close();
      }
    } finally {
      ws.cleanup();
    }
  });

  it('commits the runs of a process that exits without close() before it exits', async () => {
    const ws = tmpWorkspace();
    try {
      const runDir = ws.path('runs');
      const out = await runWorker<{ ids: string[] }>('no-close-worker.js', compiledLibDir(), { runDir });
      expect(`${out.code} ${out.stderr}`).toBe('0 ');
      // Nothing left for the next open to re-sync: the DB file already has the runs.
      expect(readdirSync(path.join(runDir, '.consist', 'pending'))).toEqual([]);
      const db = await Database.open(path.join(runDir, 'provenance.duckdb'));
      try {
        expect((await db.all('SELECT id FROM run ORDER BY id')).map((r) => r.id)).toEqual([...out.result!.ids].sort());
      } finally {
        await db.close();
      }
    } finally {
      ws.cleanup();
    }
  });

  it('loads artifacts after the runs folder and the mounted data folder move', async () => {
    const ws = tmpWorkspace();
    try {
      const input = ws.file('data-a/zones.csv', 'zone,area\n1,2.5\n2,3.5\n');
      let runId = '';
      const first = await openTestTracker(ws, { runDir: ws.path('runs-a'), mounts: { inputs: ws.path('data-a') } });
      try {
        const r = await first.run({ name: 'copy', inputs: { zones: input }, inputBinding: 'table', fn: async ({ zones }) => ({ out: zones }) });
        runId = r.run.id;
        expect((await first.getArtifactsForRun(runId)).inputs.zones.uri).toBe('inputs://zones.csv');
      } finally {
        await first.close();
      }
      renameSync(ws.path('runs-a'), ws.path('runs-b'));
      renameSync(ws.path('data-a'), ws.path('data-b'));
      const moved = await openTestTracker(ws, { runDir: ws.path('runs-b'), mounts: { inputs: ws.path('data-b') } });
      try {
        const { inputs, outputs } = await moved.getArtifactsForRun(runId);
        expect(inputs.zones.path).toBe(ws.path('data-b', 'zones.csv'));
        expect((await moved.load(inputs.zones)).numRows).toBe(2);
        expect((await moved.load(outputs.out)).numRows).toBe(2);
      } finally {
        await moved.close();
      }
    } finally {
      ws.cleanup();
    }
  });

  it('a second process waits for the DB lock, then both runs are in the DB', async () => {
    const ws = tmpWorkspace();
    try {
      const runDir = ws.path('runs');
      const { exited } = await startHolder(runDir, 'from_child', 1500);
      const tracker = await Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source', lockTimeoutMs: 30_000 });
      try {
        await tracker.startRun('from_parent', {}, async () => undefined);
        expect((await tracker.findRuns()).map((r) => r.id).sort()).toEqual(['from_child', 'from_parent']);
      } finally {
        await tracker.close();
      }
      expect(await exited).toBe(0);
    } finally {
      ws.cleanup();
    }
  });

  it('fails with DB_LOCKED naming the holder when the lock is held past the deadline', async () => {
    const ws = tmpWorkspace();
    try {
      const runDir = ws.path('runs');
      const releaseFile = ws.path('release');
      const { exited } = await startHolder(runDir, 'holder', { releaseFile });
      const err = await Tracker.open({ runDir, logger: memoryLogger(), lockTimeoutMs: 300 }).catch((e) => e);
      writeFileSync(releaseFile, ''); // the holder held the lock for the whole attempt, however slow the machine
      expect(err.code).toBe('DB_LOCKED');
      expect(err.message).toMatch(/PID \d+/);
      expect(existsSync(path.join(runDir, 'provenance.duckdb'))).toBe(true);
      await exited;
    } finally {
      ws.cleanup();
    }
  });
});
