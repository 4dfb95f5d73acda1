import type { TrackerOptions } from '../recording/tracker-options';
import type { WorkerTrackerSettings } from './job-file';

/**
 * How a sweep worker opens the runs folder — the ONE place to change when journal-only mode lands:
 * then `{ journalOnly: true }` replaces `lockMode: 'shared'` (no DuckDB opened; the submitter folds
 * the snapshots). Until then workers take the DB lock per unit of work, which is why
 * {@link WORKERS_NEED_SHARED_SUBMITTER} is true.
 */
export function workerTrackerOptions(s: WorkerTrackerSettings): TrackerOptions {
  return {
    runDir: s.runDir, dbPath: s.dbPath, codeIdentity: s.codeIdentity, projectRoot: s.projectRoot,
    cacheEpoch: s.cacheEpoch, hashing: s.hashing, mounts: s.mounts,
    parquetCompression: s.parquetCompression as TrackerOptions['parquetCompression'],
    lockMode: 'shared', // → journalOnly: true
    lockTimeoutMs: 120_000,
  };
}

/**
 * True while workers open the DB (`lockMode: 'shared'`): a submitter holding the DB lock
 * exclusively would block them, so process executors need a submitter opened with
 * `lockMode: 'shared'`. Becomes false with journal-only workers.
 */
export const WORKERS_NEED_SHARED_SUBMITTER = true;
