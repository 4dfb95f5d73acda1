import type { RunSnapshot } from '../model';
import type { SqlExecutor } from '../provenance/executor';
import { RunIndex } from '../journal/run-index';
import { SnapshotStore } from '../journal/snapshot-store';
import { syncSnapshot } from '../provenance/snapshot-sync';
import { insertObservationRow, insertSchemaRows, SchemaFileStore } from '../journal/schema-files';
import { isoNow } from '../util/time';
import { withDatabase, type MaintenanceOptions } from './maintenance-options';
import { progressCounter, type ProgressHook } from '../util/progress';
import { scanSnapshots, type SnapshotProblem } from './snapshot-scan';

/** Options of {@link rebuild}. */
export interface RebuildOptions extends MaintenanceOptions {
  /** Called after each snapshot is synced (task `rebuild`); the CLI draws a bar from it. */
  onProgress?: ProgressHook;
  /** Count what would be rebuilt and dropped; change nothing. */
  dryRun?: boolean;
}

/** What {@link rebuild} did (or, with `dryRun`, would do). */
export interface RebuildReport {
  dryRun: boolean;
  /** Snapshots found in the runs folder, readable or not. */
  snapshots: number;
  runs: number;
  artifacts: number;
  links: number;
  /** Schema files (`.consist/schemas/*.json`) and observation markers restored (rows the DB lacked are added). */
  schemas: number;
  observations: number;
  /** Runs that were in the DB but have no snapshot: gone after the rebuild. */
  droppedRuns: string[];
  /** Snapshots that were skipped because they are malformed or could not be synced. */
  errors: SnapshotProblem[];
}

/**
 * The metadata tables that are derived from snapshots and rebuilt from scratch. `hot` and
 * `ingestion` are kept; schema rows are kept and completed from the schema files.
 */
const DERIVED_TABLES = ['run_artifact_link', 'run_config_kv', 'artifact_kv', 'config_facet', 'artifact', 'run'] as const;

class SnapshotSyncFailure extends Error {
  constructor(readonly runId: string, readonly reason: unknown) {
    super((reason as Error)?.message ?? String(reason));
  }
}

/**
 * Rebuilds the run metadata of the database from the JSON snapshots, in one transaction: either
 * the old rows stay or every readable snapshot is in. Then adds the schemas and schema
 * observations of `.consist/schemas/` the DB lacks. Idempotent. Ingested (`hot`) data is kept.
 * Malformed snapshots are reported in `errors`, never fatal.
 *
 * @example
 * const report = await rebuild('./runs', './runs/provenance.duckdb');
 * console.log(`${report.runs} runs rebuilt; skipped: ${report.errors.length}`);
 */
export async function rebuild(runDir: string, dbPath: string, options: RebuildOptions = {}): Promise<RebuildReport> {
  const store = new SnapshotStore(runDir);
  const { snapshots, problems } = await scanSnapshots(store);
  const schemaFiles = await new SchemaFileStore(runDir).readAll();
  const errors = [...problems, ...schemaFiles.problems];
  return withDatabase(dbPath, options, async (db) => {
    const before = (await db.all<{ id: string }>('SELECT id FROM run ORDER BY id')).map((r) => r.id);
    const usable = [...snapshots.values()];
    if (!options.dryRun) {
      await syncAll(usable, errors, (fn) => db.transaction(fn), options.onProgress);
      await db.transaction(async (tx) => {
        const at = isoNow();
        for (const schema of schemaFiles.schemas) await insertSchemaRows(tx, schema, at);
        for (const o of schemaFiles.observations) await insertObservationRow(tx, o, at);
      });
      const index = new RunIndex(runDir); // the on-disk lookups of shared lock mode are derived from snapshots too
      for (const snap of usable) {
        await index.record(snap);
        await store.clearPending(snap.run.id);
      }
    }
    const kept = new Set(usable.map((s) => s.run.id));
    return {
      dryRun: Boolean(options.dryRun),
      snapshots: snapshots.size + problems.length,
      runs: usable.length,
      artifacts: new Set(usable.flatMap((s) => s.artifacts.map((a) => a.artifact.id))).size,
      links: usable.reduce((n, s) => n + new Set(s.artifacts.map((a) => a.artifact.id)).size, 0),
      schemas: schemaFiles.schemas.length,
      observations: schemaFiles.observations.length,
      droppedRuns: before.filter((id) => !kept.has(id)),
      errors: errors.sort((a, b) => a.id.localeCompare(b.id)),
    };
  });
}

type InTransaction = (fn: (tx: SqlExecutor) => Promise<void>) => Promise<void>;

/**
 * One transaction that clears the derived tables and syncs every snapshot. A snapshot whose rows
 * the DB rejects aborts the transaction; it is moved to `errors` (removed from `usable`) and the
 * whole transaction is retried without it.
 */
async function syncAll(usable: RunSnapshot[], errors: SnapshotProblem[], inTransaction: InTransaction, onProgress?: ProgressHook): Promise<void> {
  for (;;) {
    try {
      await inTransaction(async (tx) => {
        for (const table of DERIVED_TABLES) await tx.run(`DELETE FROM ${table}`);
        const tick = progressCounter('rebuild', usable.length, onProgress);
        for (const snap of usable) {
          await syncSnapshot(tx, snap).catch((err: unknown) => { throw new SnapshotSyncFailure(snap.run.id, err); });
          tick(snap.run.id);
        }
      });
      return;
    } catch (err) {
      if (!(err instanceof SnapshotSyncFailure)) throw err;
      const failed = err.runId;
      errors.push({ id: failed, error: err.message.split('\n')[0] });
      usable.splice(usable.findIndex((s) => s.run.id === failed), 1);
    }
  }
}
