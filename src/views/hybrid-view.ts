import type { TableDefinition } from '../metadata/compile-table';
import type { DbUnits } from '../provenance/database';
import type { Logger } from '../util/logger';
import { coldPartsWithMetaTables, partitionExisting } from './cold-files';
import { COLD_READERS, createViewSql, hotSelectSql, typedEmptySql, unionSql, type ColdFile, type PartOptions } from './view-sql';

/**
 * More parts of a hybrid view, computed each time it is built: rows read from files derived from
 * format artifacts (a GTFS feed's extracted `stops.txt`, an OMX file materialised as Parquet).
 */
export interface ViewSource {
  /**
   * SELECTs with the view's system columns, combined `UNION ALL BY NAME` with the other parts;
   * artifacts ingested into the view's hot table are left out (their rows are in the hot part).
   */
  parts(view: { name: string; hotTable: string }): Promise<string[]>;
}

/** What a hybrid view covers: a hot table plus cold files with a schema id or key. */
export interface HybridViewSpec {
  name: string;
  hotTable: string;
  key: string;
  schemaId: string | null;
  definition: TableDefinition | null;
  /** Parts read from format artifacts (built-in GTFS schemas, OMX/pandas member views). */
  source?: ViewSource;
}

/** Part options of hybrid views: system columns, no facets. @internal */
export const HYBRID_PART: PartOptions = { systemColumns: true, facets: [] };

/**
 * Builds the DDL of a hybrid view: the typed empty relation of the @Table (so declared columns
 * always exist), the hot table, and every not-ingested Parquet/CSV/JSON artifact of that schema or key,
 * all combined `UNION ALL BY NAME`. (Parquet, CSV and JSON / JSON-lines files are read cold.) Missing cold files are skipped with one warning per file.
 */
export class HybridViewBuilder {
  private readonly warned = new Set<string>();

  constructor(private readonly db: DbUnits, private readonly toPath: (uri: string) => string, private readonly logger: Logger) {}

  /**
   * The statements that (re)create the view, to run in one transaction: its cold files' metadata
   * tables (see `coldPartsWithMetaTables`), then `CREATE OR REPLACE VIEW`.
   */
  async build(spec: HybridViewSpec): Promise<string[]> {
    const parts: string[] = [];
    const columns = spec.definition?.columns.map((c) => ({ name: c.name, type: c.duckType })) ?? [];
    if (await this.hotTableExists(spec.hotTable)) parts.push(hotSelectSql(spec.hotTable));
    const { present, missing } = await partitionExisting(await this.coldFiles(spec));
    for (const f of missing) {
      if (this.warned.has(f.path)) continue;
      this.warned.add(f.path);
      this.logger.warn(`View '${spec.name}': skipping missing file ${f.path} (artifact ${f.artifactId}).`);
    }
    const cold = coldPartsWithMetaTables(spec.name, present, HYBRID_PART);
    parts.push(...cold.parts);
    if (spec.source) parts.push(...await spec.source.parts(spec));
    if (parts.length === 0 || columns.length) parts.unshift(typedEmptySql(columns, HYBRID_PART));
    return [...cold.ddl, createViewSql(spec.name, unionSql(parts))];
  }

  private async hotTableExists(table: string): Promise<boolean> {
    const rows = await this.db.all(
      `SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'hot' AND table_name = ?`, [table]);
    return rows.length > 0;
  }

  private async coldFiles(spec: HybridViewSpec): Promise<(ColdFile & { driver: string })[]> {
    const rows = await this.db.all(
      `SELECT a.id, a.uri, a.driver, a.run_id, r.year, r.iteration, r.parent_run_id
       FROM artifact AS a JOIN run AS r ON r.id = a.run_id
       WHERE (a.key = ? OR a.schema_id = ? OR EXISTS (SELECT 1 FROM artifact_schema_observation AS o
         WHERE o.artifact_id = a.id AND o.schema_id = ?))
         AND a.driver IN (${Object.keys(COLD_READERS).map((d) => `'${d}'`).join(', ')})
         AND a.id NOT IN (SELECT artifact_id FROM ingestion WHERE table_name = ?)
       ORDER BY a.created_at, a.id`, [spec.key, spec.schemaId, spec.schemaId, spec.hotTable]);
    return rows.map((r) => ({
      artifactId: String(r.id), path: this.toPath(String(r.uri)), driver: String(r.driver), runId: r.run_id as string | null,
      year: r.year === null ? null : Number(r.year), iteration: r.iteration === null ? null : Number(r.iteration),
      scenarioId: r.parent_run_id as string | null,
    }));
  }
}
