import { isConsistError } from '../errors';
import type { JournalRuns } from '../queries/journal-runs';
import type { RunsPage, RunsPageQuery } from '../queries/runs-page';

/** Where a runs answer came from: the database, or the run folders' snapshots while it is locked. */
export interface RunsSource {
  source: 'database' | 'journal';
  /** Set when `source` is `journal`: why, and what still works. */
  notice?: string;
}

/** The notice of a runs answer read from the journal. */
export const JOURNAL_NOTICE = 'The database is held by another process (a writer in exclusive mode): runs are read from ' +
  "the run folders' snapshots; run pages, lineage, views and SQL answer 503 DB_LOCKED until it is free.";

const locked = (err: unknown): boolean => isConsistError(err) && err.code === 'DB_LOCKED';

/**
 * `fromDb()` marked `source: 'database'`; when it fails with `DB_LOCKED` and `journal` is there,
 * `fromJournal(journal)` marked `source: 'journal'` with {@link JOURNAL_NOTICE}. Other errors
 * (and `DB_LOCKED` without a journal) are rethrown.
 */
export async function orJournal<T extends object>(fromDb: () => Promise<T>, journal: JournalRuns | undefined,
  fromJournal: (j: JournalRuns) => Promise<T>): Promise<T & RunsSource> {
  try {
    return { ...(await fromDb()), source: 'database' };
  } catch (err) {
    if (!journal || !locked(err)) throw err;
    return { ...(await fromJournal(journal)), source: 'journal', notice: JOURNAL_NOTICE };
  }
}

/** `/api/runs` from the journal. */
export const journalPage = (q: RunsPageQuery) => (j: JournalRuns): Promise<RunsPage> => j.page(q);

/** `/api/version` from the journal: run count, newest start or end, runs still running. */
export async function journalVersion(j: JournalRuns): Promise<{ runs: number; latest: string | null; running: number }> {
  const runs = await j.all();
  let latest: string | null = null;
  for (const r of runs) {
    const t = r.endedAt ?? r.startedAt;
    if (latest === null || t > latest) latest = t;
  }
  return { runs: runs.length, latest, running: runs.filter((r) => r.status === 'running').length };
}
