import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Database } from '../../../src/provenance/database';
import { Indexer } from '../../../src/journal/indexer';
import { DrainedDatabase } from '../../../src/journal/read-barrier';
import { RunIndex } from '../../../src/journal/run-index';
import { SnapshotStore } from '../../../src/journal/snapshot-store';
import { ActiveRun } from '../../../src/recording/active-run';
import { RunRecorder } from '../../../src/recording/run-recorder';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

const FAKE: Parameters<typeof jest.useFakeTimers>[0] = { doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] };

const snapshot = (id: string, status: 'running' | 'completed' = 'completed') => {
  const run = new ActiveRun({ id, kind: 'manual', name: id }, memoryLogger());
  if (status === 'completed') run.finish('completed');
  return run.snapshot();
};

describe('Indexer (the one drain of the journal)', () => {
  let ws: Workspace;
  let db: Database;
  let snapshots: SnapshotStore;
  const open = async (lockMode: 'exclusive' | 'shared') => {
    db = await Database.open(path.join(ws.path('runs'), 'provenance.duckdb'), { lockMode });
    return db;
  };
  const ids = async () => (await db.all<{ id: string; status: string }>('SELECT id, status FROM run ORDER BY id')).map((r) => `${r.id}:${r.status}`);
  beforeEach(() => {
    ws = tmpWorkspace();
    mkdirSync(ws.path('runs'), { recursive: true });
    snapshots = new SnapshotStore(ws.path('runs'));
  });
  afterEach(async () => {
    jest.useRealTimers();
    await db?.close();
    ws.cleanup();
  });

  it('debounces a burst into one batch, but never holds a persist past maxDelayMs or a batch past maxBatch (exclusive)', async () => {
    const indexer = new Indexer(await open('exclusive'), { snapshots, index: new RunIndex(snapshots.runDir) }, memoryLogger(),
      { delayMs: 50, maxDelayMs: 100, maxBatch: 6 });
    const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    for (const id of all) await snapshots.write(snapshot(id));
    jest.useFakeTimers(FAKE);
    indexer.add(snapshot('a'), { fresh: true });
    jest.advanceTimersByTime(30);
    indexer.add(snapshot('b'), { fresh: true }); // debounce: due at 80 ms, not 50
    jest.advanceTimersByTime(25);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(5);
    indexer.add(snapshot('c'), { fresh: true }); // t = 60
    jest.advanceTimersByTime(30);
    indexer.add(snapshot('d'), { fresh: true }); // t = 90: due at 100 ms (maxDelayMs from 'a'), not 140
    jest.advanceTimersByTime(9);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2);
    expect(jest.getTimerCount()).toBe(0); // fired at 100 ms
    jest.useRealTimers();
    await indexer.drain();
    expect(indexer.size).toBe(0);
    jest.useFakeTimers(FAKE);
    for (const id of ['e', 'f', 'g', 'h', 'i', 'e']) indexer.add(snapshot(id), { fresh: true }); // 'e' twice: 5 runs queued
    expect(indexer.size).toBe(5);
    jest.advanceTimersByTime(0);
    expect(jest.getTimerCount()).toBe(1); // below maxBatch: still debounced
    jest.useRealTimers();
    await indexer.flush();
    expect(await ids()).toEqual(all.map((id) => `${id}:completed`));
    expect(indexer.stats).toMatchObject({ failed: 0, queued: 10 });
  });

  it('commits at once when the queue reaches maxBatch', async () => {
    const indexer = new Indexer(await open('exclusive'), { snapshots, index: new RunIndex(snapshots.runDir) }, memoryLogger(), { delayMs: 50, maxBatch: 3 });
    for (const id of ['x', 'y', 'z']) await snapshots.write(snapshot(id));
    jest.useFakeTimers(FAKE);
    indexer.add(snapshot('x'), { fresh: true });
    indexer.add(snapshot('y'), { fresh: true });
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(1);
    indexer.add(snapshot('z'), { fresh: true });
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(0);
    jest.useRealTimers();
    await indexer.flush();
    expect(await ids()).toEqual(['x:completed', 'y:completed', 'z:completed']);
  });

  it.each(['exclusive', 'shared'] as const)('%s: a read through the barrier sees every persist before it; markers clear only for final states', async (mode) => {
    const indexer = new Indexer(await open(mode), { snapshots, index: new RunIndex(snapshots.runDir) }, memoryLogger());
    const recorder = new RunRecorder(snapshots, { indexer });
    const reader = new DrainedDatabase(db, indexer);
    const live = snapshot('live', 'running');
    await recorder.persist(live, { fresh: true });
    await recorder.persist(snapshot('done'), { fresh: true });
    const units = db.lockStats.units;
    const rows = (await reader.all<{ id: string; status: string }>('SELECT id, status FROM run ORDER BY id')).map((r) => `${r.id}:${r.status}`);
    // exclusive: the only writer commits its own running state too; shared: left for its final state.
    expect(rows).toEqual(mode === 'exclusive' ? ['done:completed', 'live:running'] : ['done:completed']);
    expect(db.lockStats.units).toBe(units + 1); // the read; the drain is a background commit
    expect(await snapshots.listPending()).toEqual(['live']); // a running run's marker waits for its final state
    const finished = new ActiveRun({ ...live.run, id: 'live', kind: 'manual', name: 'live' }, memoryLogger());
    finished.finish('completed');
    await recorder.persist(finished.snapshot());
    expect((await reader.all('SELECT status FROM run WHERE id = ?', ['live']))[0]).toEqual({ status: 'completed' });
    expect(await snapshots.listPending()).toEqual([]);
    await indexer.flush();
  });

  it('shared: the read barrier also commits what another process left pending (a group commit)', async () => {
    const other = new SnapshotStore(snapshots.runDir); // "another process" writing the same folder: marker + snapshot only
    await other.markPending('theirs');
    await other.write(snapshot('theirs'));
    const indexer = new Indexer(await open('shared'), { snapshots, index: new RunIndex(snapshots.runDir) }, memoryLogger(), { delayMs: 1, retryMs: 1 });
    const reader = new DrainedDatabase(db, indexer);
    expect(await ids()).toEqual([]); // the raw Database has no barrier
    expect((await reader.all<{ id: string }>('SELECT id FROM run')).map((r) => r.id)).toEqual(['theirs']);
    expect(await snapshots.listPending()).toEqual([]);
    expect(indexer.stats).toMatchObject({ batches: 1, synced: 1, busy: 0 });
  });

  it('after close, a read through the barrier is DB_CLOSED and a later persist stays pending on disk (nothing lost)', async () => {
    const indexer = new Indexer(await open('exclusive'), { snapshots, index: new RunIndex(snapshots.runDir) }, memoryLogger());
    const recorder = new RunRecorder(snapshots, { indexer });
    const reader = new DrainedDatabase(db, indexer);
    await indexer.flush();
    await db.close();
    await recorder.persist(snapshot('late'), { fresh: true });
    await expect(reader.all('SELECT 1')).rejects.toMatchObject({ code: 'DB_CLOSED' });
    expect(await snapshots.listPending()).toEqual(['late']);
    expect(await snapshots.read('late')).toMatchObject({ run: { id: 'late', status: 'completed' } });
  });
});
