import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunIndex, IndexedSnapshot } from '../journal/run-index';
import type { SqlExecutor } from '../provenance/executor';
import { rowToRun } from '../provenance/row-mapping';
import { pathExists, touchMarker } from '../util/fs';

/** The file that says the on-disk index holds every run the DB knew when it was first built. */
const BACKFILLED = '.backfilled-v2';

/** True when {@link backfillRunIndex} has work: the runs folder's index was never completed from the DB. */
export async function needsBackfill(index: RunIndex): Promise<boolean> {
  return !(await pathExists(path.join(index.dir, BACKFILLED)));
}

/**
 * Makes the on-disk run index (signature, name, produced URIs) complete for a runs folder whose
 * runs were recorded before it indexed all three: once per runs folder, from the DB (one query
 * each for runs and produced artifacts), then a marker file. Afterwards the index is the only
 * place the step path looks, in every lock mode. Returns how many runs it indexed.
 * @internal
 */
export async function backfillRunIndex(db: SqlExecutor, index: RunIndex): Promise<number> {
  const rows = await db.all(`SELECT * FROM run WHERE status = 'completed' AND NOT cache_hit`);
  const produced = await db.all<{ run_id: string; uri: string }>(
    `SELECT a.run_id, a.uri FROM artifact a JOIN run r ON r.id = a.run_id WHERE r.status = 'completed' AND NOT r.cache_hit`);
  const byRun = new Map<string, IndexedSnapshot['artifacts'][number][]>();
  for (const p of produced) {
    const list = byRun.get(p.run_id) ?? [];
    list.push({ direction: 'output', artifact: { uri: p.uri, runId: p.run_id } });
    byRun.set(p.run_id, list);
  }
  for (const row of rows) {
    const run = rowToRun(row);
    await index.record({ run, artifacts: byRun.get(run.id) ?? [] });
  }
  await fs.mkdir(index.dir, { recursive: true });
  await touchMarker(index.dir, BACKFILLED);
  return rows.length;
}
