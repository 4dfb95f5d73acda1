import { UriResolver } from '../artifacts/uri';
import type { Run } from '../model';
import type { Database } from '../provenance/database';
import { SCHEMA_VERSION } from '../provenance/migrations';
import { rowToRun } from '../provenance/row-mapping';
import { SnapshotStore } from '../journal/snapshot-store';
import { pathExists } from '../util/fs';
import { fixDoctorFindings } from './doctor-fix';
import type { DoctorOptions, DoctorReport, MissingArtifactFile, StuckRun } from './doctor-report';
import { withDatabase, type MaintenanceOptions } from './maintenance-options';
import { isStuck, runProcess, scanSnapshots } from './snapshot-scan';

/**
 * Checks a runs folder against its provenance database: stuck runs, snapshot/DB drift, missing
 * artifact files and unsynced snapshots.
 *
 * @example
 * const report = await doctor('./runs', './runs/provenance.duckdb');
 * if (!report.ok) console.log(report.runsStuckRunning);
 */
export async function doctor(runDir: string, dbPath: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const store = new SnapshotStore(runDir);
  return withDatabase(dbPath, options, async (db) => {
    let report = await inspect(db, store, options);
    if (options.fix) {
      const fixed = await fixDoctorFindings(db, store, report);
      report = { ...(await inspect(db, store, options)), fixed };
    }
    return report;
  });
}

async function inspect(db: Database, store: SnapshotStore, options: MaintenanceOptions): Promise<DoctorReport> {
  const { snapshots, problems } = await scanSnapshots(store);
  const dbRuns = new Map((await db.all('SELECT * FROM run')).map((r) => [String(r.id), rowToRun(r)] as const));
  const snapshotIds = new Set([...snapshots.keys(), ...problems.map((p) => p.id)]);
  const report: Omit<DoctorReport, 'ok'> = {
    schemaVersion: await recordedSchemaVersion(db),
    expectedSchemaVersion: SCHEMA_VERSION,
    runsStuckRunning: stuckRuns([...snapshots.values()].map((s) => s.run), dbRuns),
    snapshotsMissingFromDb: [...snapshots.keys()].filter((id) => !dbRuns.has(id)),
    dbRowsWithoutSnapshot: [...dbRuns.keys()].filter((id) => !snapshotIds.has(id)).sort(),
    artifactsMissingFiles: await missingArtifactFiles(db, new UriResolver(store.runDir, options.mounts ?? {})),
    pendingSync: await store.listPending(),
    unreadableSnapshots: problems,
  };
  const ok = report.schemaVersion === report.expectedSchemaVersion
    && Object.values(report).every((v) => !Array.isArray(v) || v.length === 0);
  return { ...report, ok };
}

async function recordedSchemaVersion(db: Database): Promise<number> {
  const rows = await db.all<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}

/** Snapshots are the truth; a DB row counts only for runs that have no snapshot. */
function stuckRuns(fromSnapshots: Run[], dbRuns: Map<string, Run>): StuckRun[] {
  const seen = new Set(fromSnapshots.map((r) => r.id));
  const candidates = [...fromSnapshots, ...[...dbRuns.values()].filter((r) => !seen.has(r.id))];
  return candidates.filter(isStuck)
    .map((r) => ({ id: r.id, ...runProcess(r), alive: false }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function missingArtifactFiles(db: Database, uris: UriResolver): Promise<MissingArtifactFile[]> {
  // Rows ingested into DuckDB need no file: their data lives in the `hot` schema.
  const rows = await db.all<{ id: string; uri: string }>(
    'SELECT id, uri FROM artifact WHERE id NOT IN (SELECT artifact_id FROM ingestion) ORDER BY id');
  const missing: MissingArtifactFile[] = [];
  for (const { id, uri } of rows) {
    let file: string | null;
    try {
      file = uris.toPath(uri);
    } catch {
      file = null;
    }
    if (file === null || !(await pathExists(file))) missing.push({ id, uri, path: file });
  }
  return missing;
}
