import type { Run } from '../model';
import type { SqlExecutor } from './executor';
import type { RunFilter } from './run-filter';
import type { RunRepository } from './repositories';
import { rowToRun } from './row-mapping';

export type { RunFilter } from './run-filter';
export type { RunLookup, RunRepository } from './repositories';

const ORDER = 'ORDER BY started_at DESC, id DESC';
/** Rows (by insertion order) a limited search first looks at for its start-time bound; see {@link SqlRunRepository.find}. */
const RECENT_ROWS = 4096;

/** {@link RunRepository} over the DuckDB `run` table. Writes go through {@link syncSnapshot}. */
export class SqlRunRepository implements RunRepository {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Run | undefined> {
    const rows = await this.db.all('SELECT * FROM run WHERE id = ?', [id]);
    return rows[0] ? rowToRun(rows[0]) : undefined;
  }

  /**
   * Matching runs, newest first (`started_at`, then id, descending). With a `limit`, the newest
   * matches are found without reading every row group: a first query takes the `limit`-th newest
   * start time among the most recently inserted rows (a lower bound of the answer's start times,
   * whatever the row order), and the real query adds `started_at >= bound`, which DuckDB answers
   * from row-group min/max statistics. When the recent rows hold too few matches, or a concurrent
   * delete left fewer than `limit` rows above the bound, it is the plain query.
   */
  async find(filter: RunFilter = {}): Promise<Run[]> {
    const { where, params } = buildRunWhere(filter);
    if (filter.limit === undefined) return (await this.db.all(`SELECT * FROM run ${where} ${ORDER}`, params)).map(rowToRun);
    const limit = Math.max(0, Math.floor(filter.limit));
    if (limit === 0) return [];
    const bound = await this.recentBound(where, params, limit);
    if (bound !== undefined) {
      const rows = await this.db.all(`SELECT * FROM run ${and(where)} started_at >= make_timestamp(?::BIGINT) ${ORDER} LIMIT ${limit}`, [...params, bound]);
      if (rows.length === limit) return rows.map(rowToRun);
    }
    return (await this.db.all(`SELECT * FROM run ${where} ${ORDER} LIMIT ${limit}`, params)).map(rowToRun);
  }

  /** The `limit`-th newest matching start time (µs since the epoch) among the newest inserted rows, if that many match there. */
  private async recentBound(where: string, params: unknown[], limit: number): Promise<bigint | undefined> {
    const window = Math.max(RECENT_ROWS, limit * 64);
    const rows = await this.db.all<{ us: bigint }>(
      `SELECT epoch_us(started_at) AS us FROM run ${and(where)} rowid >= (SELECT max(rowid) - ${window} FROM run)
       ORDER BY started_at DESC LIMIT 1 OFFSET ${limit - 1}`, params);
    return rows[0]?.us;
  }
}

const COLUMN_FILTERS: ReadonlyArray<[keyof RunFilter, string]> = [
  ['id', 'id'], ['name', 'name'], ['model', 'model'], ['status', 'status'], ['year', 'year'],
  ['iteration', 'iteration'], ['kind', 'kind'], ['signature', 'signature'], ['cacheHit', 'cache_hit'],
];

/** `where` extended by one more condition: `WHERE … AND` or `WHERE`. */
const and = (where: string): string => (where ? `${where} AND` : 'WHERE');

/** WHERE clause for a {@link RunFilter}; every value is bound. @internal */
export function buildRunWhere(filter: RunFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of COLUMN_FILTERS) {
    if (filter[field] === undefined) continue;
    clauses.push(`${column} = ?`);
    params.push(filter[field]);
  }
  if (filter.parentId !== undefined) {
    clauses.push(filter.parentId === null ? 'parent_run_id IS NULL' : 'parent_run_id = ?');
    if (filter.parentId !== null) params.push(filter.parentId);
  }
  for (const tag of filter.tags ?? []) {
    clauses.push('list_contains(tags, ?)');
    params.push(tag);
  }
  for (const [key, value] of Object.entries(filter.facet ?? {})) {
    const column = typeof value === 'number' ? 'value_num' : typeof value === 'boolean' ? 'value_bool' : 'value_str';
    const ns = filter.namespace === undefined ? '' : ' AND kv.namespace = ?';
    clauses.push(`EXISTS (SELECT 1 FROM run_config_kv kv WHERE kv.run_id = run.id AND kv.key = ? AND kv.${column} = ?${ns})`);
    params.push(key, value, ...(filter.namespace === undefined ? [] : [filter.namespace]));
  }
  if (filter.namespace !== undefined && Object.keys(filter.facet ?? {}).length === 0) {
    clauses.push('EXISTS (SELECT 1 FROM run_config_kv kv WHERE kv.run_id = run.id AND kv.namespace = ?)');
    params.push(filter.namespace);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
