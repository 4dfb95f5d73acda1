import type { Run, RunStatus } from '../model';
import { rowToRun } from '../provenance/row-mapping';
import { UiError } from '../errors';
import type { QuerySource } from './query-source';

/** Filters and paging of {@link listRunsPage} (the `/api/runs` query string). */
export interface RunsPageQuery {
  model?: string;
  status?: RunStatus;
  /** Only the steps of this scenario (runs whose parent is this run id). */
  scenario?: string;
  year?: number;
  /** `true`: only cache hits; `false`: only runs that executed. */
  hit?: boolean;
  /** Case-insensitive substring of id, name or model. */
  text?: string;
  /** Only top-level runs (no parent): the scenario tree's roots. */
  topLevel?: boolean;
  /** Page size, 1…500. Default 50. */
  limit?: number;
  /** Rows skipped, newest first. Default 0. */
  offset?: number;
}

/** One page of runs, newest first, and how many match in all. */
export interface RunsPage {
  runs: Run[];
  total: number;
  limit: number;
  offset: number;
}

const STATUSES: readonly string[] = ['running', 'completed', 'failed'];
export const MAX_PAGE = 500;

/** WHERE clause and bound values for a {@link RunsPageQuery}. */
function where(q: RunsPageQuery): { sql: string; params: unknown[] } {
  const c: string[] = [];
  const p: unknown[] = [];
  const eq = (column: string, v: unknown) => {
    if (v === undefined) return;
    c.push(`${column} = ?`);
    p.push(v);
  };
  eq('model', q.model);
  eq('status', q.status);
  eq('parent_run_id', q.scenario);
  eq('year', q.year);
  eq('cache_hit', q.hit);
  if (q.topLevel) c.push('parent_run_id IS NULL');
  if (q.text) {
    c.push("(contains(lower(id), ?) OR contains(lower(name), ?) OR contains(lower(coalesce(model, '')), ?))");
    const t = q.text.toLowerCase();
    p.push(t, t, t);
  }
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params: p };
}

/** Checks a query before any SQL runs: `UI_BAD_REQUEST` for a bad status, limit or offset. */
export function assertRunsPageQuery(q: RunsPageQuery): void {
  if (q.status !== undefined && !STATUSES.includes(q.status)) throw UiError.badRequest('status', STATUSES.join(' | '));
  if (q.limit !== undefined && !(Number.isInteger(q.limit) && q.limit >= 1 && q.limit <= MAX_PAGE)) throw UiError.badRequest('limit', `an integer 1…${MAX_PAGE}`);
  if (q.offset !== undefined && !(Number.isInteger(q.offset) && q.offset >= 0)) throw UiError.badRequest('offset', 'an integer ≥ 0');
  if (q.year !== undefined && !Number.isInteger(q.year)) throw UiError.badRequest('year', 'an integer');
}

/**
 * A page of runs, newest first (`started_at`, then id, descending), with the total match count.
 * Both statements are answered from the `run` table alone (a top-N sort and a count), so the first
 * page stays fast at 10⁵ runs.
 */
export async function listRunsPage(source: QuerySource, q: RunsPageQuery = {}): Promise<RunsPage> {
  assertRunsPageQuery(q);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const w = where(q);
  const rows = await source.sql(`SELECT * FROM run ${w.sql} ORDER BY started_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`, w.params);
  const [{ n }] = await source.sql<{ n: number }>(`SELECT count(*) AS n FROM run ${w.sql}`, w.params);
  return { runs: rows.map(rowToRun), total: Number(n), limit, offset };
}

/** How many runs there are and the newest start: the page polls it to refresh when runs arrive. */
export async function runsVersion(source: QuerySource): Promise<{ runs: number; latest: string | null; running: number }> {
  const [r] = await source.sql<{ n: number; latest: Date | null; running: number }>(
    "SELECT count(*) AS n, max(coalesce(ended_at, started_at)) AS latest, count(*) FILTER (WHERE status = 'running') AS running FROM run");
  return { runs: Number(r.n), latest: r.latest instanceof Date ? r.latest.toISOString() : r.latest ? String(r.latest) : null, running: Number(r.running) };
}
