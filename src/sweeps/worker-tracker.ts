import type { TrackerOptions } from '../recording/tracker-options';
import type { WorkerTrackerSettings } from './job-file';

/**
 * How a sweep worker opens the runs folder: journal-only (no DuckDB opened, so no lock and no
 * shared-DB traffic across nodes). The worker writes snapshots, pending markers and index entries;
 * the submitter folds them into the DB as items finish. Works with a submitter in either lock mode.
 */
export function workerTrackerOptions(s: WorkerTrackerSettings): TrackerOptions {
  return {
    runDir: s.runDir, dbPath: s.dbPath, codeIdentity: s.codeIdentity, projectRoot: s.projectRoot,
    cacheEpoch: s.cacheEpoch, hashing: s.hashing, mounts: s.mounts,
    parquetCompression: s.parquetCompression as TrackerOptions['parquetCompression'],
    journalOnly: true,
  };
}
