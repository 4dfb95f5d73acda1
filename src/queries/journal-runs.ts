import { promises as fs } from 'node:fs';
import type { Run } from '../model';
import { SnapshotStore } from '../journal/snapshot-store';
import { assertRunsPageQuery, type RunsPage, type RunsPageQuery } from './runs-page';

/** A run read from its snapshot, kept while the snapshot file is unchanged. */
interface Cached { mtimeMs: number; size: number; run: Run }

/**
 * The runs of a runs folder read from the journal (`<run>/consist.json` snapshots) instead of the
 * database: what the UI shows while another process holds the database file. Reads only; parsed
 * runs are cached by file mtime and size, so a poll re-reads only the snapshots that changed.
 * Unreadable snapshots are skipped (`consist db doctor` reports them).
 */
export class JournalRuns {
  private readonly snapshots: SnapshotStore;
  private readonly cache = new Map<string, Cached>();

  constructor(runDir: string) {
    this.snapshots = new SnapshotStore(runDir);
  }

  /** Every run with a readable snapshot, newest first (`startedAt`, then id, descending). */
  async all(): Promise<Run[]> {
    const ids = await this.snapshots.listRunIds();
    const runs: Run[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      seen.add(id);
      const run = await this.read(id);
      if (run) runs.push(run);
    }
    for (const id of [...this.cache.keys()]) if (!seen.has(id)) this.cache.delete(id);
    return runs.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
  }

  /** A page of runs with the filters of `/api/runs`, as {@link listRunsPage} answers from the database. */
  async page(q: RunsPageQuery = {}): Promise<RunsPage> {
    assertRunsPageQuery(q);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const matching = (await this.all()).filter((r) => matches(r, q));
    return { runs: matching.slice(offset, offset + limit), total: matching.length, limit, offset };
  }

  private async read(id: string): Promise<Run | undefined> {
    try {
      const st = await fs.stat(this.snapshots.snapshotPath(id));
      const hit = this.cache.get(id);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.run;
      const snap = await this.snapshots.read(id);
      if (!snap) return undefined;
      this.cache.set(id, { mtimeMs: st.mtimeMs, size: st.size, run: snap.run });
      return snap.run;
    } catch {
      return undefined; // half-written or removed while listing: the next poll sees it
    }
  }
}

function matches(r: Run, q: RunsPageQuery): boolean {
  if (q.model !== undefined && r.model !== q.model) return false;
  if (q.status !== undefined && r.status !== q.status) return false;
  if (q.scenario !== undefined && r.parentRunId !== q.scenario) return false;
  if (q.year !== undefined && r.year !== q.year) return false;
  if (q.hit !== undefined && r.cacheHit !== q.hit) return false;
  if (q.topLevel && r.parentRunId !== null) return false;
  if (q.text) {
    const t = q.text.toLowerCase();
    if (![r.id, r.name, r.model ?? ''].some((s) => s.toLowerCase().includes(t))) return false;
  }
  return true;
}
