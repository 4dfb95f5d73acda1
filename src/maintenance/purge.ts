import { promises as fs } from 'node:fs';
import type { SqlExecutor } from '../provenance/executor';
import { qualify } from '../provenance/sql';
import { SnapshotStore } from '../journal/snapshot-store';
import { withDatabase, type MaintenanceOptions } from './maintenance-options';
import { hotTables, inList, planPurge, type PurgePlan } from './purge-plan';
import { progressCounter, type ProgressHook } from '../util/progress';

/** Options of {@link purge}. */
export interface PurgeOptions extends MaintenanceOptions {
  runId: string;
  /** List what would be deleted; change nothing. */
  dryRun?: boolean;
  /** Also purge runs whose `parentRunId` leads to this run (a scenario's steps). Default true. */
  children?: boolean;
  /** `purge` progress: one event for the database rows, then one per run folder deleted (none on a dry run). */
  onProgress?: ProgressHook;
}

/**
 * Deletes a run for good: its folder (snapshot and outputs), its DB rows (run, links, facets),
 * the artifacts no other run uses, and its ingested rows. Never deletes anything outside the
 * runs folder (`MAINTENANCE_UNSAFE_PATH`), nor a run still alive on this host
 * (`MAINTENANCE_RUN_ACTIVE`). An unknown run is `RUN_NOT_FOUND`.
 *
 * @example
 * const plan = await purge('./runs', './runs/provenance.duckdb', { runId: 'old_run', dryRun: true });
 * console.log(plan.folders, plan.artifacts);
 */
export async function purge(runDir: string, dbPath: string, options: PurgeOptions): Promise<PurgePlan> {
  const store = new SnapshotStore(runDir);
  return withDatabase(dbPath, options, async (db) => {
    const plan = { dryRun: Boolean(options.dryRun), ...(await planPurge(db, store, options.runId, options.children ?? true)) };
    if (plan.dryRun) return plan;
    const tick = progressCounter('purge', plan.folders.length + 1, options.onProgress);
    const tables = await hotTables(db);
    await db.transaction((tx) => deleteRows(tx, plan, tables));
    tick('database');
    for (const folder of plan.folders) {
      await fs.rm(folder, { recursive: true, force: true });
      tick(folder);
    }
    for (const id of plan.runs) await store.clearPending(id);
    return plan;
  });
}

async function deleteRows(tx: SqlExecutor, plan: PurgePlan, hot: string[]): Promise<void> {
  const runs = inList(plan.runs.length);
  for (const table of hot) await tx.run(`DELETE FROM ${qualify('hot', table)} WHERE consist_run_id IN ${runs}`, plan.runs);
  await tx.run(`DELETE FROM run_artifact_link WHERE run_id IN ${runs}`, plan.runs);
  await tx.run(`DELETE FROM run_config_kv WHERE run_id IN ${runs}`, plan.runs);
  await tx.run(`DELETE FROM run WHERE id IN ${runs}`, plan.runs);
  if (plan.artifacts.length === 0) return;
  const arts = inList(plan.artifacts.length);
  await tx.run(`DELETE FROM artifact_kv WHERE artifact_id IN ${arts}`, plan.artifacts);
  await tx.run(`DELETE FROM ingestion WHERE artifact_id IN ${arts}`, plan.artifacts);
  await tx.run(`DELETE FROM artifact WHERE id IN ${arts}`, plan.artifacts);
}
