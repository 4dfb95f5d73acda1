import { Tracker } from '../../../src/index';
import { memoryLogger, tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { compiledLibDir } from './helpers/compiled-lib';
import { pool, readSnapshots, runWorker } from './helpers/processes';

interface CrashResult { id: string; status: string; cacheHit: boolean; reusedRunId: string | null; message?: string }

/**
 * Label × occurrence: a step miss persists twice (running, then completed); the indexer commits
 * the DB rows (`index:*`, at the latest when the tracker closes).
 */
const POINTS: Array<[string, number]> = [
  ...['persist:before-pending', 'persist:after-pending', 'persist:after-snapshot',
    'atomic:temp-opened', 'atomic:before-rename', 'atomic:after-rename'].flatMap((l): Array<[string, number]> => [[l, 1], [l, 2]]),
  ['index:before-commit', 1], ['index:after-commit', 1], ['index:after-clear-pending', 1],
  ['parquet:before-rename', 1], ['parquet:after-rename', 1], ['step:after-invoke', 1], ['step:after-outputs', 1], ['lease:created', 1],
];

/**
 * `shared` lock mode: the completed persist writes the snapshot and the run index, and the
 * indexer's group commit (at the latest at close) syncs it (`index:*` labels, src/journal/batch-commit.ts, indexer.ts).
 */
const SHARED_POINTS: Array<[string, number, 'hit' | 'miss']> = [
  ['persist:after-pending', 2, 'miss'], ['persist:after-snapshot', 1, 'miss'], ['atomic:before-rename', 2, 'miss'],
  // The completed snapshot is on disk: the re-run is a hit through the on-disk run index (repaired
  // by the re-sync at open when the crash came before the index entry was written).
  ['persist:after-snapshot', 2, 'hit'], ['index:before-commit', 1, 'hit'], ['index:after-commit', 1, 'hit'], ['index:after-clear-pending', 1, 'hit'],
];

/**
 * Journal-only worker (no DuckDB), run twice in one process (a miss, then a hit): killed mid-step
 * (its `running` snapshot must never be served: the re-run misses), or right after the hit's
 * snapshot (everything completed is folded in by the next normal tracker; the re-run hits).
 */
const JOURNAL_ONLY_POINTS: Array<[string, number, 'hit' | 'miss']> = [
  ['step:after-outputs', 1, 'miss'], ['persist:after-pending', 2, 'miss'], ['persist:after-snapshot', 3, 'hit'],
];

interface CrashCase { label: string; runDir: string; killed: Awaited<ReturnType<typeof runWorker<CrashResult>>>; rerun: Awaited<ReturnType<typeof runWorker<CrashResult>>> }

/** Every snapshot parses, the re-run completed, and the DB (opened afterwards) has it and its source `completed`. */
async function expectRecovered({ label, runDir, killed, rerun }: CrashCase): Promise<void> {
  expect(`${label}: ${killed.signal}`).toBe(`${label}: SIGKILL`);
  expect(`${label}: ${rerun.code} ${rerun.result?.status ?? rerun.result?.message ?? rerun.stderr}`).toBe(`${label}: 0 completed`);
  const snaps = readSnapshots(runDir); // throws on a half-written snapshot
  const tracker = await Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
  try {
    const r = rerun.result!;
    if (r.cacheHit) {
      const reused = await tracker.getRun(r.reusedRunId!);
      expect(`${label}: ${reused?.status}`).toBe(`${label}: completed`);
      expect(snaps.find((s) => s.run.id === r.reusedRunId)?.run.status).toBe('completed');
    }
    const rerunRow = await tracker.getRun(r.id);
    expect(`${label}: ${rerunRow?.status}`).toBe(`${label}: completed`);
  } finally {
    await tracker.close();
  }
}

describe('SIGKILL at any point of a cached step', () => {
  let lib: string;
  let ws: Workspace;
  beforeAll(() => {
    lib = compiledLibDir();
    ws = tmpWorkspace('consist-crash-');
  });
  afterAll(() => ws.cleanup());

  it(`leaves whole snapshots, an openable DB, no running cache hit, and a re-run that completes (${POINTS.length} points)`, async () => {
    const outcomes = await pool(3, POINTS.map(([label, nth], i) => async () => {
      const runDir = ws.path(`case-${i}`);
      const killed = await runWorker<CrashResult>('crash-worker.js', lib, { runDir },
        { CONSIST_CRASH_AT: label, CONSIST_CRASH_NTH: String(nth) });
      const rerun = await runWorker<CrashResult>('crash-worker.js', lib, { runDir });
      return { label: `${label}#${nth}`, runDir, killed, rerun };
    }));
    for (const outcome of outcomes) await expectRecovered(outcome);
  }, 900_000); // a watchdog, not a speed bound: 40 worker processes on a loaded 2-core machine

  it(`recovers the same way in shared lock mode, where a group commit syncs the runs (${SHARED_POINTS.length} points)`, async () => {
    const env = { CONSIST_LOCK_MODE: 'shared' };
    const outcomes = await pool(3, SHARED_POINTS.map(([label, nth, expected], i) => async () => {
      const runDir = ws.path(`shared-case-${i}`);
      const killed = await runWorker<CrashResult>('crash-worker.js', lib, { runDir }, { ...env, CONSIST_CRASH_AT: label, CONSIST_CRASH_NTH: String(nth) });
      const rerun = await runWorker<CrashResult>('crash-worker.js', lib, { runDir }, env);
      const label2 = `shared ${label}#${nth}`;
      expect(`${label2}: ${rerun.result?.cacheHit ? 'hit' : 'miss'}`).toBe(`${label2}: ${expected}`);
      return { label: label2, runDir, killed, rerun };
    }));
    for (const outcome of outcomes) await expectRecovered(outcome);
  }, 600_000); // a watchdog, not a speed bound (worker processes on a loaded machine)

  it(`a killed journal-only worker leaves nothing served as a hit, and a normal tracker folds in its completed runs (${JOURNAL_ONLY_POINTS.length} points)`, async () => {
    const outcomes = await pool(3, JOURNAL_ONLY_POINTS.map(([label, nth, expected], i) => async () => {
      const runDir = ws.path(`journal-only-case-${i}`);
      const killed = await runWorker<CrashResult>('crash-worker.js', lib, { runDir, journalOnly: true, times: 2 },
        { CONSIST_CRASH_AT: label, CONSIST_CRASH_NTH: String(nth) });
      const completedBefore = readSnapshots(runDir).filter((s) => s.run.status === 'completed').map((s) => s.run.id);
      const rerun = await runWorker<CrashResult>('crash-worker.js', lib, { runDir }); // a normal (exclusive) tracker
      const label2 = `journal-only ${label}#${nth}`;
      expect(`${label2}: ${rerun.result?.cacheHit ? 'hit' : 'miss'}`).toBe(`${label2}: ${expected}`);
      return { label: label2, runDir, killed, rerun, completedBefore };
    }));
    for (const { completedBefore, ...outcome } of outcomes) {
      await expectRecovered(outcome);
      const tracker = await Tracker.open({ runDir: outcome.runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
      try {
        for (const id of completedBefore) expect(`${id}: ${(await tracker.getRun(id))?.status}`).toBe(`${id}: completed`);
      } finally {
        await tracker.close();
      }
    }
  }, 600_000); // a watchdog, not a speed bound (worker processes on a loaded machine)

  it('loses no cache-hit run when killed before its written-behind DB rows commit (exclusive mode)', async () => {
    const runDir = ws.path('behind-case');
    // Armed after an explicit drain of the miss: the debounce or a DB unit may commit the miss's
    // running/completed snapshots at any moment before (a loaded machine), so "the first commit"
    // is only the hit's when the miss is committed before the crash point is armed.
    const killed = await runWorker<CrashResult>('crash-worker.js', lib, { runDir, times: 2, armAfterDrain: 'index:before-commit' },
      { CONSIST_CRASH_NTH: '1' });
    const rerun = await runWorker<CrashResult>('crash-worker.js', lib, { runDir });
    await expectRecovered({ label: 'index:before-commit#1', runDir, killed, rerun });
    const snaps = readSnapshots(runDir);
    expect(snaps.filter((s) => s.run.status === 'completed').length).toBe(3); // miss, killed hit, re-run hit
    const tracker = await Tracker.open({ runDir, logger: memoryLogger(), codeIdentity: 'class-source' });
    try {
      for (const s of snaps) expect(`${s.run.id}: ${(await tracker.getRun(s.run.id))?.status}`).toBe(`${s.run.id}: ${s.run.status}`);
    } finally {
      await tracker.close();
    }
  }, 600_000); // a watchdog, not a speed bound (worker processes on a loaded machine)
});
