import type { Run, RunStatus } from '../model';
import type { SqlExecutor } from './executor';
import { rowToRun } from './row-mapping';

/** Filters of {@link RunRepository.find}. Every given field must match. */
export interface RunFilter {
  id?: string;
  name?: string;
  model?: string;
  status?: RunStatus;
  parentId?: string | null;
  year?: number;
  iteration?: number;
  kind?: string;
  signature?: string;
  /** Every listed tag must be present (exact match). */
  tags?: readonly string[];
  /** Facet values that must all match (flattened key → value). */
  facet?: Record<string, string | number | boolean>;
  limit?: number;
}

const ORDER = 'ORDER BY started_at DESC, id DESC';

/** Finds one run by id: the narrow port of the step path (producer signatures, id-free checks). */
export interface RunLookup {
  get(id: string): Promise<Run | undefined>;
}

/** Reads of the `run` table. Writes go through {@link syncSnapshot}. */
export class RunRepository implements RunLookup {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Run | undefined> {
    const rows = await this.db.all('SELECT * FROM run WHERE id = ?', [id]);
    return rows[0] ? rowToRun(rows[0]) : undefined;
  }

  async find(filter: RunFilter = {}): Promise<Run[]> {
    const { where, params } = buildRunWhere(filter);
    const limit = filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : '';
    const rows = await this.db.all(`SELECT * FROM run ${where} ${ORDER}${limit}`, params);
    return rows.map(rowToRun);
  }
}

const COLUMN_FILTERS: ReadonlyArray<[keyof RunFilter, string]> = [
  ['id', 'id'], ['name', 'name'], ['model', 'model'], ['status', 'status'], ['year', 'year'],
  ['iteration', 'iteration'], ['kind', 'kind'], ['signature', 'signature'],
];

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
    clauses.push(`EXISTS (SELECT 1 FROM run_config_kv kv WHERE kv.run_id = run.id AND kv.key = ? AND kv.${column} = ?)`);
    params.push(key, value);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
