import type { Run } from '../../model';
import type { FindRunsOptions } from '../../recording/run-queries';
import type { StoreFlags } from '../config';
import { requireStore } from '../context';
import { formatTable, print, type Column } from '../format';

/** Options of {@link watchRuns}. */
export interface WatchOptions {
  /** Milliseconds between refreshes. */
  intervalMs: number;
  /** Stop after this many refreshes (tests); default: until interrupted. */
  iterations?: number;
}

/**
 * `consist runs --watch`: re-lists the runs every interval. The database is opened in `shared`
 * lock mode (the lock is taken per query), so the writers being watched are not blocked. On a
 * terminal the screen is redrawn; otherwise a block is printed only when the list changed.
 */
export async function watchRuns(flags: StoreFlags, filter: FindRunsOptions, columns: ReadonlyArray<Column<Run>>, opts: WatchOptions): Promise<void> {
  const store = requireStore(flags);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('reflect-metadata');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Tracker } = require('../../tracker/tracker') as typeof import('../../tracker/tracker');
  const tracker = await Tracker.open({ runDir: store.runDir, dbPath: store.dbPath, mounts: store.mounts, lockMode: 'shared', lockTimeoutMs: store.lockTimeoutMs });
  const tty = Boolean(process.stdout.isTTY);
  let last = '';
  try {
    for (let i = 0; opts.iterations === undefined || i < opts.iterations; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, opts.intervalMs));
      const runs = await tracker.findRuns(filter);
      const body = runs.length ? formatTable(runs, columns) : 'No runs found.';
      if (body === last && !tty) continue;
      last = body;
      const head = `${runs.length} run(s) · ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} · every ${opts.intervalMs / 1000} s (Ctrl-C to stop)`;
      print(tty ? `\x1b[2J\x1b[H${head}\n${body}` : `${head}\n${body}\n`);
    }
  } finally {
    await tracker.close();
  }
}
