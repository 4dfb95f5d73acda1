import { ViewError } from '../errors';
import type { SchemaRegistry } from '../materialize/schema-registry';
import type { DbUnits } from '../provenance/database';
import type { Logger } from '../util/logger';
import { coldParts, isColdDriver, partitionExisting } from './cold-files';
import { assertViewName, resolveGroupedOptions, type GroupedViewOptions, type ResolvedGroupedOptions } from './grouped-options';
import { GroupedSelection, type SelectedArtifact } from './grouped-selection';
import { createViewSql, groupedHotSelectSql, typedEmptySql, unionSql, type ArtifactMeta, type PartOptions } from './view-sql';

/** Whether a view (or table) of this name exists in the main schema. @internal */
export async function relationExists(db: Pick<DbUnits, 'all'>, name: string): Promise<boolean> {
  const rows = await db.all(
    `SELECT 1 FROM duckdb_views() WHERE view_name = ? AND NOT internal AND schema_name = 'main'
     UNION ALL SELECT 1 FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'`, [name, name]);
  return rows.length > 0;
}

/** Hot tables that carry `consist_artifact_id` (so their rows can be matched to artifacts). @internal */
export async function hotTablesWithArtifactIds(db: Pick<DbUnits, 'all'>): Promise<Set<string>> {
  const rows = await db.all(
    `SELECT table_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'hot'
     AND column_name = 'consist_artifact_id'`);
  return new Set(rows.map((r) => String(r.table_name)));
}

/**
 * Builds the `CREATE VIEW` statement of a grouped view (API.md §5): one relation over many
 * artifacts selected by schema identity, run filters and facet predicates, with typed facet columns.
 */
export class GroupedViewBuilder {
  constructor(
    private readonly db: DbUnits,
    private readonly registry: SchemaRegistry,
    private readonly toPath: (uri: string) => string,
    private readonly logger: Logger,
  ) {}

  /** The DDL for `name`; throws `VIEW_EXISTS`, `VIEW_FILES_MISSING`, `VIEW_SELECTION_INVALID`, `FACET_PREDICATE_INVALID`. */
  async build(name: string, options: GroupedViewOptions): Promise<string> {
    assertViewName(name);
    const o = resolveGroupedOptions(options);
    if (o.ifExists === 'error' && (await relationExists(this.db, name))) throw ViewError.exists(name);
    const selection = new GroupedSelection(this.db, this.registry);
    const schema = await selection.schemaIds(o);
    const selected = await selection.artifacts(schema.ids, o);
    const facets = await selection.facets(selected, o.attachFacets, o.namespace ?? null);
    const withFacets = selected.map((a) => ({ ...a, facets: facets.values.get(a.artifactId) }));
    const part: PartOptions = { systemColumns: o.includeSystemColumns, facets: facets.columns };
    const parts = [...(await this.hotParts(withFacets, o, part)), ...(await this.coldParts(name, withFacets, o, part))];
    return createViewSql(name, parts.length ? unionSql(parts) : typedEmptySql(schema.columns, part));
  }

  private async hotParts(selected: readonly SelectedArtifact[], o: ResolvedGroupedOptions, part: PartOptions): Promise<string[]> {
    if (o.mode === 'cold_only') return [];
    const groups = new Map<string, ArtifactMeta[]>();
    for (const a of selected) if (a.hotTable) groups.set(a.hotTable, [...(groups.get(a.hotTable) ?? []), a]);
    if (groups.size === 0) return [];
    const usable = await hotTablesWithArtifactIds(this.db);
    const parts: string[] = [];
    for (const [table, metas] of groups) {
      if (!usable.has(table)) {
        this.logger.warn(`Skipping hot table 'hot.${table}' in grouped view: it is missing or has no consist_artifact_id.`);
        continue;
      }
      parts.push(groupedHotSelectSql(table, metas, part));
    }
    return parts;
  }

  private async coldParts(name: string, selected: readonly SelectedArtifact[], o: ResolvedGroupedOptions, part: PartOptions): Promise<string[]> {
    if (o.mode === 'hot_only') return [];
    const files = selected
      .filter((a) => isColdDriver(a.driver) && (o.mode === 'cold_only' || !a.hotTable))
      .map((a) => ({ ...a, path: this.toPath(a.uri) }));
    const { present, missing } = await partitionExisting(files);
    if (missing.length && o.missingFiles === 'error') throw ViewError.filesMissing(name, missing.map((f) => f.path));
    if (o.missingFiles === 'warn') {
      for (const f of missing) this.logger.warn(`Skipping missing artifact in grouped view '${name}': ${f.path} (artifact ${f.artifactId}).`);
    }
    return coldParts(present, part);
  }
}
