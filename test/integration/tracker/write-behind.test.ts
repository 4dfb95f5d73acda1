import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Database } from '../../../src/store/database';
import { SnapshotStore } from '../../../src/store/snapshot-store';
import { WriteBehind } from '../../../src/store/write-behind';
import { ActiveRun } from '../../../src/tracker/active-run';
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

  it('commits a steady stream of persists every delay, counted from the first queued one (never postponed)', async () => {
    const snapshots = new SnapshotStore(ws.path('runs'));
    const behind = new WriteBehind(db, snapshots, memoryLogger(), { delayMs: 50 });
    db.setUnitPrelude((conn) => behind.commitOn(conn));
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    for (const id of ['a', 'b', 'c']) await snapshots.write(snapshot(id));
    behind.add(snapshot('a'), { fresh: true });
    jest.advanceTimersByTime(30);
    behind.add(snapshot('b'), { fresh: true });
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(25); // 55 ms after the first add: the commit is due, not pushed to 80 ms
    expect(jest.getTimerCount()).toBe(0);
    behind.add(snapshot('c'), { fresh: true }); // the next batch arms a new timer
    expect(jest.getTimerCount()).toBe(1);
    jest.useRealTimers();
    await behind.flush();
    expect((await db.all('SELECT id FROM run ORDER BY id')).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(behind.stats.failed).toBe(0);
  });
});
