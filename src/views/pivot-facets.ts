import { ViewError } from '../errors';
import { quoteIdent, quoteLiteral } from '../provenance/sql';

/** A value column of the facet KV tables. */
export type FacetValueColumn = 'value_num' | 'value_str' | 'value_bool' | 'value_json';

/** Options of `tracker.pivotFacets`. */
export interface PivotFacetsOptions {
  /** Only facets of this namespace (a run's facets are recorded under its model); default: any namespace. */
  namespace?: string;
  /** Name of the view created; default `v_pivot_<digest of the query>`. */
  name?: string;
  /** Facet keys (flattened paths) that become columns. */
  keys: readonly string[];
  /** Value column per key; keys not listed use the column their stored type implies. */
  valueColumns?: Readonly<Record<string, FacetValueColumn>>;
}

const VALUE_COLUMNS: readonly FacetValueColumn[] = ['value_num', 'value_str', 'value_bool', 'value_json'];

/** The value column a key's stored types imply: numbers → value_num, booleans → value_bool, strings → value_str. */
export function valueColumnFor(types: readonly string[]): FacetValueColumn {
  const set = new Set(types.filter((t) => t !== 'null'));
  if (set.size && [...set].every((t) => t === 'int' || t === 'float')) return 'value_num';
  if (set.size && [...set].every((t) => t === 'bool')) return 'value_bool';
  if ([...set].every((t) => t === 'str')) return 'value_str';
  return 'value_json';
}

/**
 * SQL of a relation with one row per run (`run_id`) and one column per facet key, computed as
 * `MAX(CASE WHEN key = … THEN <value column> END)`. Keys and namespace are literals (quoted).
 * @throws ViewError `VIEW_SELECTION_INVALID` for an empty key list or an unknown value column.
 */
export function pivotFacetsSql(opts: PivotFacetsOptions, columns: Readonly<Record<string, FacetValueColumn>>,
  integerKeys: ReadonlySet<string> = new Set()): string {
  assertPivotOptions(opts);
  const selects = opts.keys.map((key) => {
    const column = columns[key] ?? 'value_str';
    if (!VALUE_COLUMNS.includes(column)) throw ViewError.selectionInvalid(`unknown value column '${String(column)}' for key '${key}'`);
    const value = column === 'value_json' ? 'CAST(value_json AS VARCHAR)'
      : column === 'value_num' && integerKeys.has(key) ? 'CAST(value_num AS BIGINT)' : column;
    return `MAX(CASE WHEN key = ${quoteLiteral(key)} THEN ${value} END) AS ${quoteIdent(key)}`;
  });
  const where = [`key IN (${opts.keys.map(quoteLiteral).join(', ')})`];
  if (opts.namespace !== undefined) where.push(`namespace = ${quoteLiteral(opts.namespace)}`);
  return `SELECT run_id, ${selects.join(', ')} FROM run_config_kv WHERE ${where.join(' AND ')} GROUP BY run_id ORDER BY run_id`;
}

const usableText = (v: unknown): v is string => typeof v === 'string' && v !== '' && !v.includes('\u0000');

/** `VIEW_SELECTION_INVALID` unless the options are well-formed (plain-JS callers included). @internal */
export function assertPivotOptions(opts: PivotFacetsOptions): void {
  if (typeof opts !== 'object' || opts === null) throw ViewError.selectionInvalid('pivotFacets options must be an object');
  if (!Array.isArray(opts.keys) || opts.keys.length === 0) throw ViewError.selectionInvalid('pivotFacets needs at least one key');
  if (!opts.keys.every(usableText)) throw ViewError.selectionInvalid('pivotFacets keys must be non-empty strings without NUL characters');
  if (opts.namespace !== undefined && (typeof opts.namespace !== 'string' || opts.namespace.includes('\u0000'))) {
    throw ViewError.selectionInvalid('pivotFacets namespace must be a string without NUL characters');
  }
  if (opts.name !== undefined && !usableText(opts.name)) throw ViewError.nameInvalid(opts.name, 'expected a non-empty string without NUL characters');
  const vc = opts.valueColumns;
  if (vc !== undefined && (typeof vc !== 'object' || vc === null || Array.isArray(vc))) {
    throw ViewError.selectionInvalid('pivotFacets valueColumns must be an object of key → value column');
  }
  for (const [key, column] of Object.entries(vc ?? {})) {
    if (!VALUE_COLUMNS.includes(column)) {
      throw ViewError.selectionInvalid(`unknown value column '${String(column)}' for key '${key}'; use one of ${VALUE_COLUMNS.join(', ')}`);
    }
    if (!opts.keys.includes(key)) throw ViewError.selectionInvalid(`valueColumns names key '${key}', which is not in keys`);
  }
}
