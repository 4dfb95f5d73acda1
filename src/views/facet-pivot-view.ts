import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../provenance/executor';
import { assertPivotOptions, pivotFacetsSql, valueColumnFor, type FacetValueColumn, type PivotFacetsOptions } from './pivot-facets';
import { View, type ViewHost } from './view';

/**
 * The relation `tracker.pivotFacets` returns (API.md §11): a named DuckDB view with one row per run
 * (`run_id`) and one column per facet key. Use it like any {@link View} (`rows()`, `query()`,
 * `toArrow()`, by name in `tracker.sql`), or embed {@link sql} as a sub-query.
 */
export class FacetPivotView extends View {
  /** @internal created by `ViewFactory.pivotFacets`. */
  constructor(name: string, host: ViewHost, /** The `SELECT` the view is defined by. */ readonly sql: string) {
    super(name, host);
  }
}

/**
 * The SELECT of a facet pivot and the view name it gets. Each key's value column comes from the
 * types stored for it in that namespace (integers are cast to BIGINT); `valueColumns` overrides.
 * @internal
 */
export async function pivotFacetsQuery(db: SqlExecutor, opts: PivotFacetsOptions): Promise<{ name: string; sql: string }> {
  assertPivotOptions(opts);
  const ns = opts.namespace === undefined ? '' : ' AND namespace = ?';
  const typed = await db.all(
    `SELECT key, list(DISTINCT value_type) AS types FROM run_config_kv WHERE key IN (${opts.keys.map(() => '?').join(', ')})${ns} GROUP BY key`,
    [...opts.keys, ...(opts.namespace === undefined ? [] : [opts.namespace])]);
  const columns: Record<string, FacetValueColumn> = {};
  const integerKeys = new Set<string>();
  for (const r of typed) {
    const types = (r.types as unknown[]).map(String);
    columns[String(r.key)] = valueColumnFor(types);
    if (types.some((t) => t === 'int') && types.every((t) => t === 'int' || t === 'null')) integerKeys.add(String(r.key));
  }
  const sql = pivotFacetsSql(opts, { ...columns, ...(opts.valueColumns ?? {}) }, integerKeys);
  return { name: opts.name ?? `v_pivot_${createHash('sha256').update(sql).digest('hex').slice(0, 12)}`, sql };
}
