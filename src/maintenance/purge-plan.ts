import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RunNotFoundError } from '../errors';
import type { Database } from '../provenance/database';
import { rowToRun } from '../provenance/row-mapping';
import { qualify } from '../provenance/sql';
import type { SnapshotStore } from '../journal/snapshot-store';
import { pathExists } from '../util/fs';
import { assertRunId } from '../recording/run-options';
import { MaintenanceError } from '../errors/maintenance-error';
import { isLiveHere, runProcess } from './snapshot-scan';

/** What a purge removes (the dry-run answer, and the report of a real purge). */
export interface PurgePlan {
  dryRun: boolean;
  /** The run and, unless `children: false`, its descendants (by `parentRunId`). */
  runs: string[];
  /** Run folders (absolute) that are deleted with everything in them. */
  folders: string[];
  /** Artifact rows deleted: linked to the purged runs and to no other run. */
  artifacts: string[];
  /** Artifacts the purged runs produced that other runs still use: their rows are kept. */
  keptArtifacts: string[];
  /** Ingested rows (`hot` schema) of the purged runs that are deleted. */
  hotRows: number;
}

/** `IN (?, ?, …)` for `n` values. @internal */
export const inList = (n: number): string => `(${Array.from({ length: n }, () => '?').join(', ')})`;

/** Builds the purge plan and refuses unsafe purges (live runs, folders escaping the runs folder). @internal */
export async function planPurge(db: Database, store: SnapshotStore, runId: string, children: boolean): Promise<Omit<PurgePlan, 'dryRun'>> {
  assertRunId(runId);
  const inDb = (await db.all('SELECT id FROM run WHERE id = ?', [runId])).length > 0;
  if (!inDb && !(await pathExists(store.runFolder(runId)))) throw new RunNotFoundError(`id '${runId}'`);
  const runs = children ? await withDescendants(db, runId) : [runId];
  for (const id of runs) await assertNotLive(db, store, id);
  const folders: string[] = [];
  for (const id of runs) {
    const folder = store.runFolder(id);
    if (await pathExists(folder)) folders.push(await assertInside(folder, store.runDir));
  }
  const { artifacts, keptArtifacts } = await purgeableArtifacts(db, runs);
  return { runs, folders, artifacts, keptArtifacts, hotRows: await countHotRows(db, runs) };
}

async function withDescendants(db: Database, root: string): Promise<string[]> {
  const found = [root];
  const seen = new Set(found);
  for (let i = 0; i < found.length; i++) {
    for (const { id } of await db.all<{ id: string }>('SELECT id FROM run WHERE parent_run_id = ? ORDER BY id', [found[i]])) {
      if (!seen.has(id)) {
        seen.add(id);
        found.push(id);
      }
    }
  }
  return found;
}

async function assertNotLive(db: Database, store: SnapshotStore, id: string): Promise<void> {
  const snap = await store.read(id).catch(() => undefined);
  const row = (await db.all('SELECT * FROM run WHERE id = ?', [id]))[0];
  const run = snap?.run ?? (row ? rowToRun(row) : undefined);
  if (run && isLiveHere(run)) throw MaintenanceError.runActive(id, runProcess(run).pid ?? -1);
}

/** The real location of `target`, which must be strictly inside `root` (symlinks resolved). */
async function assertInside(target: string, root: string): Promise<string> {
  const realRoot = await fs.realpath(root);
  const real = await fs.realpath(target);
  const rel = path.relative(realRoot, real);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw MaintenanceError.unsafePath(real, realRoot);
  return target;
}

async function purgeableArtifacts(db: Database, runs: string[]): Promise<{ artifacts: string[]; keptArtifacts: string[] }> {
  const rows = await db.all<{ id: string; elsewhere: bigint | number }>(
    `SELECT a.id,
       (SELECT count(*) FROM run_artifact_link o WHERE o.artifact_id = a.id AND o.run_id NOT IN ${inList(runs.length)}) AS elsewhere
     FROM artifact a
     WHERE a.run_id IN ${inList(runs.length)}
        OR a.id IN (SELECT artifact_id FROM run_artifact_link WHERE run_id IN ${inList(runs.length)})
     ORDER BY a.id`, [...runs, ...runs, ...runs]);
  return {
    artifacts: rows.filter((r) => Number(r.elsewhere) === 0).map((r) => r.id),
    keptArtifacts: rows.filter((r) => Number(r.elsewhere) > 0).map((r) => r.id),
  };
}

/** `hot` tables that carry `consist_run_id`, i.e. hold ingested rows attributable to runs. @internal */
export async function hotTables(db: Database): Promise<string[]> {
  const rows = await db.all<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
     WHERE table_schema = 'hot' AND column_name = 'consist_run_id' ORDER BY table_name`);
  return rows.map((r) => r.table_name);
}

async function countHotRows(db: Database, runs: string[]): Promise<number> {
  let n = 0;
  for (const table of await hotTables(db)) {
    const [row] = await db.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM ${qualify('hot', table)} WHERE consist_run_id IN ${inList(runs.length)}`, runs);
    n += Number(row.n);
  }
  return n;
}
