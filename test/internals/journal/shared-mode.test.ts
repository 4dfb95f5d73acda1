import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrackerServices } from '../../../src/di/tracker-services';
import type { Tracker } from '../../../src/index';
import { rebuild } from '../../../src/index';
import { Database } from '../../../src/provenance/database';
import { Indexer } from '../../../src/journal/indexer';
import { scanPending } from '../../../src/journal/pending-scan';
import { RunIndex } from '../../../src/journal/run-index';
import { SnapshotStore } from '../../../src/journal/snapshot-store';
import { SNAPSHOT_VERSION, type Run, type RunSnapshot } from '../../../src/index';
import { memoryLogger, openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/**
 * Foreground DB units so far (the `services` of a Tracker are protected; tests peek). Not opens: the
 * indexer's background group commit may open the DB at any moment on a loaded machine.
 */
const units = (t: Tracker) => (t as unknown as { services: TrackerServices }).services.db.lockStats.units;

const step = (i: number, name = 'square') => ({ name, config: { i }, fn: async () => ({ table: [{ i, sq: i * i }] }) });

async function dbRuns(dbPath: string): Promise<string[]> {
  const db = await Database.open(dbPath);
  try {
    return (await db.all<{ id: string; status: string }>('SELECT id, status FROM run ORDER BY id')).map((r) => `${r.id}:${r.status}`);
  } finally {
    await db.close();
  }
}

function fakeRun(id: string, status: Run['status'], pid: number): RunSnapshot {
  const run = {
    id, kind: 'step', name: 'fake', model: null, parentRunId: null, status, year: null, iteration: null, tags: [],
    facet: null, config: null, signature: `sig_${id}`, codeHash: null, configHash: null, inputHash: null, cacheHit: false,
    reusedRunId: null, meta: { pid, host: os.hostname() }, error: null, startedAt: new Date().toISOString(),
    endedAt: null, durationMs: null,
  } as Run;
  return { version: SNAPSHOT_VERSION, run, artifacts: [] };
}

describe('shared lock mode in one process', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('consist-shared-'); });
  afterEach(() => ws.cleanup());

  it('serves hits from the on-disk index, sees its own runs, and leaves the DB equal to a rebuild', async () => {
    const tracker = await openTestTracker(ws, { lockMode: 'shared' });
    const unitsAfterOpen = units(tracker);
    const first = await tracker.run(step(1));
    const again = await tracker.run(step(1));
    const changed = await tracker.run(step(2));
    expect([first.cacheHit, again.cacheHit, again.run.reusedRunId]).toEqual([false, true, first.run.id]);
    // The miss explanation came from the on-disk name index, not the DB.
    // The newest run that executed (the hit in between is not a candidate, as in SQL).
    expect(changed.cacheMissReason).toMatchObject({ reason: 'config_changed', comparedRunId: first.run.id });
    expect(units(tracker)).toBe(unitsAfterOpen); // no DB unit on the step path
    await expect(tracker.run({ ...step(3), runId: first.run.id, model: 'other' })).rejects.toMatchObject({ code: 'RUN_ID_CONFLICT' });
    // A query drains the journal first (the read barrier: read-your-writes).
    expect((await tracker.findRuns()).map((r) => r.id).sort()).toEqual([first.run.id, again.run.id, changed.run.id].sort());
    await tracker.close();

    const inDb = await dbRuns(ws.path('runs', 'provenance.duckdb'));
    expect(inDb).toHaveLength(3);
    expect(inDb.every((r) => r.endsWith(':completed'))).toBe(true);
    expect(await new SnapshotStore(ws.path('runs')).listPending()).toEqual([]);
    await rebuild(ws.path('runs'), ws.path('rebuilt.duckdb'));
    expect(await dbRuns(ws.path('rebuilt.duckdb'))).toEqual(inDb);
  });

  it('commits pending runs at close without any query', async () => {
    const tracker = await openTestTracker(ws, { lockMode: 'shared' });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await tracker.run(step(i))).run.id);
    await tracker.close();
    expect(await dbRuns(ws.path('runs', 'provenance.duckdb'))).toEqual(ids.sort().map((id) => `${id}:completed`));
  });

  it('finds runs recorded in exclusive mode (the index is written in both modes)', async () => {
    const exclusive = await openTestTracker(ws);
    const first = await exclusive.run(step(7));
    await exclusive.close();
    expect(readdirSync(new RunIndex(ws.path('runs')).folder('signature', first.run.signature!))).toHaveLength(1);
    const shared = await openTestTracker(ws, { lockMode: 'shared' });
    try {
      const hit = await shared.run(step(7));
      expect([hit.cacheHit, hit.run.reusedRunId]).toEqual([true, first.run.id]);
    } finally {
      await shared.close();
    }
  });

  it('skips an index entry whose snapshot is gone, and removes it', async () => {
    const tracker = await openTestTracker(ws, { lockMode: 'shared' });
    try {
      const first = await tracker.run(step(4));
      const index = new RunIndex(ws.path('runs'));
      const [entry] = await index.entries('signature', first.run.signature!);
      rmSync(ws.path('runs', first.run.id), { recursive: true });
      const again = await tracker.run(step(4));
      expect(again.cacheHit).toBe(false);
      expect(existsSync(path.join(index.folder('signature', first.run.signature!), entry.marker))).toBe(false);
    } finally {
      await tracker.close();
    }
  });
});

describe('the pending folder scan (group commit of every process\'s markers)', () => {
  let ws: Workspace;
  beforeEach(() => { ws = tmpWorkspace('consist-pending-'); });
  afterEach(() => ws.cleanup());

  it('leaves running snapshots of live processes, syncs final ones and dead owners, drops old orphan markers', async () => {
    const runDir = ws.path('runs');
    const store = new SnapshotStore(runDir);
    const dead = 2 ** 22 + 12345; // above the default pid_max: never alive
    for (const snap of [fakeRun('live', 'running', process.pid), fakeRun('done', 'completed', process.pid), fakeRun('gone', 'running', dead)]) {
      await store.markPending(snap.run.id);
      await store.write(snap);
    }
    await store.markPending('young_orphan');
    mkdirSync(store.pendingDir, { recursive: true });
    writeFileSync(path.join(store.pendingDir, 'old_orphan'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path.join(store.pendingDir, 'old_orphan'), old, old);

    const work = await scanPending(store, memoryLogger());
    expect(work.ready.map((s) => s.run.id).sort()).toEqual(['done', 'gone']);
    expect(work.drop).toEqual(['old_orphan']);
    const db = await Database.open(ws.path('db.duckdb'), { lockMode: 'shared' });
    try {
      // 'live' is this process's, but not in this indexer's queue: only its owner's final persist commits it.
      const indexer = new Indexer(db, { snapshots: store, index: new RunIndex(runDir) }, memoryLogger());
      expect(await indexer.resync()).toBe(2);
      expect((await db.all<{ id: string }>('SELECT id FROM run ORDER BY id')).map((r) => r.id)).toEqual(['done', 'gone']);
    } finally {
      await db.close();
    }
    expect(await store.listPending()).toEqual(['live', 'young_orphan']);
  });
});
