import { mkdirSync, readdirSync } from 'node:fs';
import { rebuild } from '../../../src/index';
// Internal on purpose: this test observes the store below the public API (see eslint.config.mjs).
import { Database } from '../../../src/provenance/database';
import { tmpWorkspace, type Workspace } from '../../helpers/workspace';
import { compiledLibDir } from './helpers/compiled-lib';
import { runWorker, readSnapshots } from './helpers/processes';

interface SweepResult {
  worker: number;
  runs: Array<{ id: string; name: string; cacheHit: boolean; status: string }>;
  lockMode: string;
  lockStats: { acquisitions: number; contended: number; waitedMs: number; maxWaitMs: number; busy: number };
  recorder: { batches: number; synced: number; attempts: number; busy: number; idle: number; flushes: number };
  warnings: string[];
  stepsMs: number;
  ms: number;
  failed?: boolean;
  message?: string;
}

const WORKER_COUNT = 8;
const STEPS = 25;
const SHARED_EVERY = 5;

async function runStatuses(dbPath: string): Promise<string[]> {
  const db = await Database.open(dbPath, { lockMode: 'exclusive' });
  try {
    return (await db.all<{ id: string; status: string }>('SELECT id, status FROM run ORDER BY id')).map((r) => `${r.id}:${r.status}`);
  } finally {
    await db.close();
  }
}

/** Every run, artifact and link row that snapshots determine, as comparable text. */
async function fingerprint(dbPath: string): Promise<string> {
  const db = await Database.open(dbPath, { lockMode: 'exclusive' });
  try {
    const rows = await Promise.all([
      'SELECT id, status, signature, cache_hit, reused_run_id, started_at, meta FROM run ORDER BY id',
      'SELECT id, uri, hash, run_id, meta FROM artifact ORDER BY id',
      'SELECT run_id, artifact_id, key, direction FROM run_artifact_link ORDER BY run_id, artifact_id',
      'SELECT run_id, key, value_str, value_num FROM run_config_kv ORDER BY run_id, key',
    ].map((sql) => db.all(sql)));
    return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } finally {
    await db.close();
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Diagnostics for docs/reliability.md: DB opens, lock waits, group commits (set CONSIST_SWEEP_STATS=1 to print). */
function reportStats(results: SweepResult[], wallMs: number): void {
  if (!process.env.CONSIST_SWEEP_STATS) return;
  const stats = results.map((r) => r.lockStats);
  const commits = results.map((r) => r.recorder);
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({
    wallMs, workerMs: results.map((r) => r.ms), stepsMs: results.map((r) => r.stepsMs),
    dbOpensPerProcess: stats.map((s) => s.acquisitions), contended: sum(stats.map((s) => s.contended)),
    busyTries: sum(stats.map((s) => s.busy)), lockWaitMs: sum(stats.map((s) => s.waitedMs)),
    maxLockWaitMs: Math.max(...stats.map((s) => s.maxWaitMs)),
    batches: sum(commits.map((c) => c.batches)), syncedBySelfOrOthers: sum(commits.map((c) => c.synced)),
    commitAttempts: sum(commits.map((c) => c.attempts)), idleAttempts: sum(commits.map((c) => c.idle)),
    flushes: sum(commits.map((c) => c.flushes)), hits: results.flatMap((r) => r.runs).filter((r) => r.cacheHit).length,
  }));
}

describe('parameter sweep over one runs folder (separate processes, shared lock mode)', () => {
  let ws: Workspace;
  let lib: string;
  beforeAll(() => {
    lib = compiledLibDir();
    ws = tmpWorkspace('consist-sweep-');
  });
  afterAll(() => ws.cleanup());

  it('loses no run, never fails on the lock, and executes shared steps once', async () => {
    const runDir = ws.path('runs');
    const execDir = ws.path('exec');
    mkdirSync(execDir, { recursive: true });
    const started = Date.now();
    const outcomes = await Promise.all(Array.from({ length: WORKER_COUNT }, (_, worker) => runWorker<SweepResult>('sweep-worker.js', lib,
      { runDir, worker, steps: STEPS, sharedEvery: SHARED_EVERY, execDir, sharedSleepMs: 150 }, { CONSIST_LOCK_MODE: 'shared' })));
    const wallMs = Date.now() - started;
    for (const o of outcomes) expect({ code: o.code, failed: o.result?.failed, stderr: o.stderr, msg: (o.result as { message?: string } | undefined)?.message }).toEqual({ code: 0, failed: undefined, stderr: "", msg: undefined });
    const results = outcomes.map((o) => o.result!);
    expect(results.every((r) => r.lockMode === 'shared' && r.warnings.length === 0)).toBe(true);

    const executions = readdirSync(execDir).map((f) => f.split('.')[0]);
    const count = (name: string) => executions.filter((n) => n === name).length;
    const sharedNames = Array.from({ length: STEPS / SHARED_EVERY }, (_, k) => `shared_${k * SHARED_EVERY}`);
    for (const name of sharedNames) expect(`${name}:${count(name)}`).toBe(`${name}:1`);
    expect(executions).toHaveLength(sharedNames.length + WORKER_COUNT * (STEPS - sharedNames.length));

    const runIds = results.flatMap((r) => r.runs.map((x) => x.id)).sort();
    expect(runIds).toHaveLength(WORKER_COUNT * STEPS);
    const inDb = await runStatuses(ws.path('runs', 'provenance.duckdb'));
    expect(inDb).toEqual(runIds.map((id) => `${id}:completed`));
    expect(readSnapshots(runDir).map((s) => `${s.run.id}:${s.run.status}`).sort()).toEqual(inDb);

    const rebuilt = ws.path('rebuilt.duckdb');
    const report = await rebuild(runDir, rebuilt);
    expect(report.errors).toEqual([]);
    expect(await runStatuses(rebuilt)).toEqual(inDb);
    expect(await fingerprint(rebuilt)).toEqual(await fingerprint(ws.path('runs', 'provenance.duckdb')));

    reportStats(results, wallMs);
  }, 600_000); // a watchdog, not a speed bound (worker processes on a loaded machine)
});
