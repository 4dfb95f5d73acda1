import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Database } from '../../../src/provenance/database';
import { SnapshotStore } from '../../../src/journal/snapshot-store';
import { WriteBehind } from '../../../src/journal/write-behind';
import { ActiveRun } from '../../../src/recording/active-run';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';

describe('WriteBehind commit timing (fake timers, no real time)', () => {
  let ws: Workspace;
  let db: Database;
  beforeEach(async () => {
    ws = tmpWorkspace();
    mkdirSync(ws.path('runs'), { recursive: true });
    db = await Database.open(path.join(ws.path('runs'), 'provenance.duckdb'));
  });
  afterEach(async () => {
    jest.useRealTimers();
    await db.close();
    ws.cleanup();
  });

  const snapshot = (id: string) => {
    const run = new ActiveRun({ id, kind: 'manual', name: id }, memoryLogger());
    run.finish('completed');
    return run.snapshot();
  };

  it('debounces a burst into one batch, but never holds a persist past maxDelayMs or a batch past maxBatch', async () => {
    const snapshots = new SnapshotStore(ws.path('runs'));
    const behind = new WriteBehind(db, snapshots, memoryLogger(), { delayMs: 50, maxDelayMs: 100, maxBatch: 6 });
    db.setUnitPrelude((conn) => behind.commitOn(conn));
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    for (const id of ids) await snapshots.write(snapshot(id));
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    behind.add(snapshot('a'), { fresh: true });
    jest.advanceTimersByTime(30);
    behind.add(snapshot('b'), { fresh: true }); // debounce: due at 80 ms, not 50
    jest.advanceTimersByTime(25);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(5);
    behind.add(snapshot('c'), { fresh: true }); // t = 60
    jest.advanceTimersByTime(30);
    behind.add(snapshot('d'), { fresh: true }); // t = 90: due at 100 ms (maxDelayMs from 'a'), not 140
    jest.advanceTimersByTime(9);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(2);
    expect(jest.getTimerCount()).toBe(0); // fired at 100 ms
    jest.useRealTimers();
    await behind.flush();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    for (const id of ['e', 'f', 'g', 'h', 'i', 'e']) behind.add(snapshot(id), { fresh: true }); // 'e' twice: 5 runs queued
    expect(behind.size).toBe(5);
    jest.advanceTimersByTime(0);
    expect(jest.getTimerCount()).toBe(1); // below maxBatch: still debounced
    jest.useRealTimers();
    await behind.flush();
    expect((await db.all('SELECT id FROM run ORDER BY id')).map((r) => r.id)).toEqual(ids);
    expect(behind.stats).toMatchObject({ failed: 0 });
  });

  it('commits at once when the batch reaches maxBatch', async () => {
    const snapshots = new SnapshotStore(ws.path('runs'));
    const behind = new WriteBehind(db, snapshots, memoryLogger(), { delayMs: 50, maxBatch: 3 });
    db.setUnitPrelude((conn) => behind.commitOn(conn));
    for (const id of ['x', 'y', 'z']) await snapshots.write(snapshot(id));
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    behind.add(snapshot('x'), { fresh: true });
    behind.add(snapshot('y'), { fresh: true });
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(1);
    behind.add(snapshot('z'), { fresh: true });
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(0);
    jest.useRealTimers();
    await behind.flush();
    expect((await db.all('SELECT id FROM run ORDER BY id')).map((r) => r.id)).toEqual(['x', 'y', 'z']);
  });
});
