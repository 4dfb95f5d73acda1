import { compileTable } from '../metadata/compile-table';
import type { SchemaRegistry } from '../materialize/schema-registry';
import type { SqlExecutor, SqlRow } from '../provenance/executor';
import { facetPredicateSql, parseFacetPredicate } from './facet-predicate';
import type { ResolvedGroupedOptions } from './grouped-options';
import type { ArtifactMeta, FacetColumn } from './view-sql';

/** One artifact a grouped view selected. */
export interface SelectedArtifact extends ArtifactMeta { uri: string; driver: string; hotTable: string | null }

/** The schema ids a grouped view selects, and the columns of its base schema (for a typed empty view). */
export interface SchemaSelection { ids: string[]; columns: { name: string; type: string }[] }

/** A stored schema's id, table name and field names. */
export interface StoredSchemaRow { id: string; tableName: string | null; names: string[] }

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
const nameKey = (names: readonly string[]): string => [...names].sort().join('\u0000');
const isSubset = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].every((x) => b.has(x));

/** `bool` → BOOLEAN, `int` → BIGINT, `float` or int+float → DOUBLE, anything else, mixed or all-null → VARCHAR. */
export function facetColumnType(types: Iterable<string>): string {
  const set = new Set([...types].filter((t) => t !== 'null'));
  if (set.size === 0) return 'VARCHAR';
  if ([...set].every((t) => t === 'bool')) return 'BOOLEAN';
  if ([...set].every((t) => t === 'int')) return 'BIGINT';
  if ([...set].every((t) => t === 'int' || t === 'float')) return 'DOUBLE';
  return 'VARCHAR';
}

function facetText(r: SqlRow): string | null {
  switch (r.value_type) {
    case 'bool': return r.value_bool === null ? null : String(r.value_bool);
    case 'int': case 'float': return r.value_num === null ? null : String(r.value_num);
    case 'str': return r.value_str as string | null;
    case 'json': return r.value_json as string | null;
    default: return null;
  }
}

/** The DB side of a grouped view: which schemas, which artifacts, which facet values. @internal */
export class GroupedSelection {
  constructor(private readonly db: SqlExecutor, private readonly registry: SchemaRegistry) {}

  /** Exact schema id(s), plus exact-name matches for a class and subset/superset schemas when `schemaCompatible`. */
  async schemaIds(o: ResolvedGroupedOptions): Promise<SchemaSelection> {
    const all = await this.storedSchemas();
    let base: StoredSchemaRow | undefined;
    let columns: SchemaSelection['columns'] = [];
    const ids = new Set<string>();
    if (o.schema) {
      const def = compileTable(o.schema);
      await this.registry.recordTable(def);
      columns = def.columns.map((c) => ({ name: c.name, type: c.duckType }));
      base = { id: def.schemaId, tableName: def.name, names: columns.map((c) => c.name) };
      for (const s of all) if (nameKey(s.names) === nameKey(base.names)) ids.add(s.id);
    } else {
      const stored = await this.registry.get(o.schemaId as string);
      columns = stored?.fields ?? [];
      base = { id: o.schemaId as string, tableName: stored?.tableName ?? null, names: columns.map((c) => c.name) };
    }
    ids.add(base.id);
    if (o.schemaCompatible) for (const s of all) if (isCompatible(base, s)) ids.add(s.id);
    return { ids: [...ids], columns };
  }

  /** Produced artifacts of those schemas passing run filters, drivers and facet predicates; oldest first. */
  async artifacts(ids: readonly string[], o: ResolvedGroupedOptions): Promise<SelectedArtifact[]> {
    const clauses = [`(a.schema_id IN (${placeholders(ids.length)}) OR EXISTS (SELECT 1 FROM artifact_schema_observation AS o ` +
      `WHERE o.artifact_id = a.id AND o.schema_id IN (${placeholders(ids.length)})))`];
    const params: unknown[] = [...ids, ...ids];
    const runFilters: Array<[unknown, string]> = [[o.runId, 'r.id'], [o.parentRunId, 'r.parent_run_id'], [o.model, 'r.model'],
      [o.status, 'r.status'], [o.year, 'r.year'], [o.iteration, 'r.iteration']];
    for (const [value, column] of runFilters) {
      if (value === undefined) continue;
      clauses.push(`${column} = ?`);
      params.push(value);
    }
    if (o.namespace !== undefined) {
      // The namespace selects artifacts faceted in it, or produced by runs of that model (API.md §11).
      clauses.push('(r.model = ? OR EXISTS (SELECT 1 FROM artifact_kv AS nkv WHERE nkv.artifact_id = a.id AND nkv.namespace = ?))');
      params.push(o.namespace, o.namespace);
    }
    if (o.drivers) {
      clauses.push(o.drivers.length ? `a.driver IN (${placeholders(o.drivers.length)})` : 'false');
      params.push(...o.drivers);
    }
    for (const expr of o.params) {
      const p = facetPredicateSql(parseFacetPredicate(expr, o.namespace ?? null));
      clauses.push(p.sql);
      params.push(...p.params);
    }
    const rows = await this.db.all(
      `SELECT a.id, a.uri, a.driver, a.run_id, r.year, r.iteration, r.parent_run_id, i.table_name AS hot_table
       FROM artifact AS a JOIN run AS r ON r.id = a.run_id LEFT JOIN ingestion AS i ON i.artifact_id = a.id
       WHERE ${clauses.join(' AND ')} ORDER BY a.created_at, a.id LIMIT 1000000`, params);
    return rows.map((r) => ({
      artifactId: String(r.id), uri: String(r.uri), driver: String(r.driver), runId: r.run_id as string | null,
      year: r.year === null ? null : Number(r.year), iteration: r.iteration === null ? null : Number(r.iteration),
      scenarioId: r.parent_run_id as string | null, hotTable: r.hot_table as string | null,
    }));
  }

  /** Typed facet columns and each artifact's values: artifact facets first, then its run's facets. */
  async facets(selected: readonly SelectedArtifact[], keys: readonly string[], namespace: string | null):
    Promise<{ columns: FacetColumn[]; values: Map<string, (string | null)[]> }> {
    const values = new Map(selected.map((a) => [a.artifactId, keys.map((): string | null => null)]));
    const types = keys.map(() => [] as string[]);
    if (keys.length === 0) return { columns: this.columns(keys, types), values };
    if (selected.length === 0) return { columns: this.columns(keys, await this.indexedTypes(keys, namespace)), values };
    const byArtifact = await this.kvRows(ARTIFACT_KV, selected.map((a) => a.artifactId), keys, namespace);
    const byRun = await this.kvRows(RUN_KV, selected.map((a) => a.runId ?? ''), keys, namespace);
    for (const a of selected) {
      keys.forEach((key, i) => {
        const row = byArtifact.get(`${a.artifactId}\u0000${key}`) ?? byRun.get(`${a.runId}\u0000${key}`);
        if (!row) return;
        types[i].push(String(row.value_type));
        (values.get(a.artifactId) as (string | null)[])[i] = facetText(row);
      });
    }
    return { columns: this.columns(keys, types), values };
  }

  /** Value types each key has anywhere in the facet index (artifact and run facets): types an empty view's columns. */
  private async indexedTypes(keys: readonly string[], namespace: string | null): Promise<string[][]> {
    const ns = namespace === null ? '' : ' AND namespace = ?';
    const params = [...keys, ...(namespace === null ? [] : [namespace])];
    const rows = await this.db.all(
      `SELECT key, value_type FROM (SELECT key, value_type, namespace FROM artifact_kv UNION ALL SELECT key, value_type, namespace FROM run_config_kv)
       WHERE key IN (${placeholders(keys.length)})${ns} GROUP BY key, value_type`, params);
    return keys.map((k) => rows.filter((r) => r.key === k).map((r) => String(r.value_type)));
  }

  private columns(keys: readonly string[], types: string[][]): FacetColumn[] {
    return keys.map((key, i) => ({ key, column: `facet_${key}`, duckType: facetColumnType(types[i]) }));
  }

  private async kvRows({ table, idColumn }: KvTable, ids: readonly string[], keys: readonly string[],
    namespace: string | null): Promise<Map<string, SqlRow>> {
    const unique = [...new Set(ids)];
    const ns = namespace === null ? '' : ' AND namespace = ?';
    const rows = await this.db.all(
      `SELECT ${idColumn} AS owner, key, value_type, value_str, value_num, value_bool, CAST(value_json AS VARCHAR) AS value_json
       FROM ${table} WHERE ${idColumn} IN (${placeholders(unique.length)}) AND key IN (${placeholders(keys.length)})${ns}`,
      [...unique, ...keys, ...(namespace === null ? [] : [namespace])]);
    return new Map(rows.map((r) => [`${r.owner}\u0000${r.key}`, r]));
  }

  private async storedSchemas(): Promise<StoredSchemaRow[]> {
    const rows = await this.db.all(
      `SELECT s.id, s.table_name, list(f.name ORDER BY f.position) FILTER (WHERE f.name IS NOT NULL) AS names
       FROM artifact_schema AS s LEFT JOIN artifact_schema_field AS f ON f.schema_id = s.id GROUP BY s.id, s.table_name`);
    return rows.map((r) => ({ id: String(r.id), tableName: r.table_name as string | null, names: ((r.names as unknown[]) ?? []).map(String) }));
  }
}

/** A facet key/value table and the column naming the owner (artifact or run) of each row. */
interface KvTable {
  table: 'artifact_kv' | 'run_config_kv';
  idColumn: 'artifact_id' | 'run_id';
}

const ARTIFACT_KV: KvTable = { table: 'artifact_kv', idColumn: 'artifact_id' };
const RUN_KV: KvTable = { table: 'run_config_kv', idColumn: 'run_id' };

/** Same table name, both non-empty, and one field-name set contains the other. */
export function isCompatible(base: StoredSchemaRow, other: StoredSchemaRow): boolean {
  if (other.names.length === 0 || base.names.length === 0 || other.tableName !== base.tableName || other.tableName === null) return false;
  const a = new Set(base.names);
  const b = new Set(other.names);
  return isSubset(a, b) || isSubset(b, a);
}
