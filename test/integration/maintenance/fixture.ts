import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// Internal on purpose: this test observes the store below the public API (see eslint.config.mjs).
import { Database } from '../../../src/provenance/database';
import type { RunSnapshot } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** A runs folder with three runs: r1 (raw input → persons), r2 (persons → summary, child of r1), r3 (uses summary). */
export interface Fixture {
  ws: Workspace;
  runDir: string;
  dbPath: string;
  artifacts: Record<string, string>;
}

/** Builds the fixture with a real Tracker and closes it, so other processes can open the DB. */
export async function makeFixture(): Promise<Fixture> {
  const ws = tmpWorkspace('consist-maint-');
  const hh = ws.file('data/households.csv', 'id,size\n1,2\n2,3\n');
  const tracker = await openTestTracker(ws);
  const artifacts: Record<string, string> = {};
  try {
    await tracker.startRun('r1', { model: 'asim', year: 2020, tags: ['base'], facet: { alpha: 1 } }, async () => {
      await tracker.logArtifact(hh, { key: 'households', direction: 'input' });
      const out = ws.file('runs/r1/persons.csv', 'id,income\n1,50000\n');
      artifacts.persons = (await tracker.logArtifact(out, { key: 'persons' })).id;
    });
    await tracker.startRun('r2', { model: 'asim', year: 2030, parentRunId: 'r1' }, async () => {
      await tracker.logArtifact(ws.path('runs/r1/persons.csv'), { key: 'persons', direction: 'input' });
      const out = ws.file('runs/r2/summary.csv', 'n\n1\n');
      artifacts.summary = (await tracker.logArtifact(out, { key: 'summary' })).id;
    });
    await tracker.startRun('r3', { model: 'report', year: 2030 }, async () => {
      await tracker.logArtifact(ws.path('runs/r2/summary.csv'), { key: 'summary', direction: 'input' });
    });
  } finally {
    await tracker.close();
  }
  return { ws, runDir: tracker.runDir, dbPath: tracker.dbPath, artifacts };
}

/** Runs `fn` on the fixture database, then closes it. */
export async function withDb<T>(dbPath: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(dbPath);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Sorted rows of the tables that snapshots determine. */
export function dumpMetadata(dbPath: string): Promise<Record<string, unknown[]>> {
  return withDb(dbPath, async (db) => ({
    run: await db.all('SELECT * FROM run ORDER BY id'),
    artifact: await db.all('SELECT * FROM artifact ORDER BY id'),
    run_artifact_link: await db.all('SELECT * FROM run_artifact_link ORDER BY run_id, artifact_id'),
    run_config_kv: await db.all('SELECT * FROM run_config_kv ORDER BY run_id, key'),
  }));
}

/** Writes a snapshot of a run left `running` by process `pid` on this host. */
export function writeRunningSnapshot(runDir: string, id: string, pid: number): void {
  const snap: RunSnapshot = {
    version: 1,
    artifacts: [],
    run: {
      id, kind: 'manual', name: id, model: null, parentRunId: null, status: 'running', year: null, iteration: null,
      tags: [], facet: null, config: null, signature: null, codeHash: null, configHash: null, inputHash: null,
      cacheHit: false, reusedRunId: null, meta: { pid, host: os.hostname() }, error: null,
      startedAt: new Date(Date.now() - 5000).toISOString(), endedAt: null, durationMs: null,
    },
  };
  mkdirSync(path.join(runDir, id), { recursive: true });
  writeFileSync(path.join(runDir, id, 'consist.json'), JSON.stringify(snap, null, 2));
}

/** A pid that is not alive on this host. */
export const DEAD_PID = 999_999;
