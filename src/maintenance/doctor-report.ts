import type { MaintenanceOptions } from './maintenance-options';
import type { SnapshotProblem } from './snapshot-scan';

/** A run left `running` by a process that died on this host. */
export interface StuckRun {
  id: string;
  pid: number | null;
  host: string | null;
  alive: boolean;
}

/** An artifact whose file is gone (or whose URI names a mount this process does not know: `path` null). */
export interface MissingArtifactFile {
  id: string;
  uri: string;
  path: string | null;
}

/** What {@link doctor} found. Every list empty means healthy (`ok`). */
export interface DoctorReport {
  /** Highest migration recorded in the database. */
  schemaVersion: number;
  /** Highest migration this build knows. */
  expectedSchemaVersion: number;
  runsStuckRunning: StuckRun[];
  snapshotsMissingFromDb: string[];
  dbRowsWithoutSnapshot: string[];
  artifactsMissingFiles: MissingArtifactFile[];
  pendingSync: string[];
  unreadableSnapshots: SnapshotProblem[];
  ok: boolean;
  /** Present when called with `fix: true`. */
  fixed?: DoctorFixes;
}

/** Options of {@link doctor}. */
export interface DoctorOptions extends MaintenanceOptions {
  /**
   * Repair what is safe to repair: mark stuck runs `failed` ('process died') in snapshot and DB,
   * and sync snapshots the DB is missing. Never deletes anything.
   */
  fix?: boolean;
}

/** What `doctor({ fix: true })` changed. */
export interface DoctorFixes {
  /** Runs moved from `running` to `failed` with error 'process died'. */
  markedFailed: string[];
  /** Snapshots written into the DB (they were missing or pending). */
  synced: string[];
}

