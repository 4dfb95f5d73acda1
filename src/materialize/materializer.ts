import { amountCounter, type ProgressHook } from '../util/progress';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table as ArrowTable } from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactError, ConfigurationError, isConsistError, SchemaValidationError } from '../errors';
import { statReadable } from '../artifacts/file-kind';
import { assertArtifactRef } from '../model/artifact-ref';
import { compiledTableBySchemaId, compileTable, type TableDefinition } from '../metadata/compile-table';
import type { Artifact } from '../model';
import { queryToArrow, readFileToArrow, rowsToArrow } from '../engine/arrow-bridge';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { DbUnits } from '../provenance/database';
import { ConnectionExecutor, inTransaction } from '../provenance/executor';
import type { RunRepository } from '../provenance/run-repository';
import { qualify } from '../provenance/sql';
import { pathExists } from '../util/fs';
import { isoNow } from '../util/time';
import { hotTableName } from './hot-table';
import { appendToHot, insertFileIntoHot, isReadableDriver, systemValues, type HotTarget, type SystemValues } from './hot-writer';
import { validateRows } from './row-validation';
import type { SchemaRegistry } from './schema-registry';

/** Rows or an Arrow table to ingest instead of the artifact's file. */
export type IngestData = ArrowTable | readonly Record<string, unknown>[];

/** Options of `tracker.ingest`. */
export interface IngestOptions {
  /** A `@Table` class: strict ingestion into `hot.<table name>`. Without it, types are inferred. */
  schema?: Function;
  /** The rows to load; default: the artifact's file (Parquet, CSV or JSON). */
  data?: IngestData;
}

/** What one ingestion did. */
export interface IngestResult {
  artifactId: string;
  /** The hot table (in schema `hot`). */
  table: string;
  rowCount: number;
  /** True when the artifact had been ingested before; nothing was written again. */
  alreadyIngested: boolean;
}

/** When `tracker.load` may rebuild a missing file from its ingested rows. */
export type DbFallback = 'always' | 'inputs-only' | 'never';

/** Services the {@link Materializer} needs. @internal */
export interface MaterializerDeps {
  db: DbUnits;
  runs: RunRepository;
  artifactRows: ArtifactRepository;
  artifacts: ArtifactStore;
  loader: ArtifactLoader;
  schemas: SchemaRegistry;
  /** `ingest` progress: rows appended per batch (`Tracker.open({ onProgress })`). */
  onProgress?: ProgressHook;
}

const SYSTEM_EXCLUDE = 'EXCLUDE (consist_run_id, consist_artifact_id, consist_year, consist_iteration)';

const plainRows = (t: ArrowTable): Record<string, unknown>[] => t.toArray().map((r) => {
  const o = (r as { toJSON(): Record<string, unknown> }).toJSON();
  for (const [k, v] of Object.entries(o)) if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) o[k] = Number(v);
  return o;
});

/**
 * Loads artifacts' rows into DuckDB (`hot.<table>`) with the system columns, strictly against a
 * @Table when one is given, in one transaction; and rebuilds missing files from those rows.
 */
export class Materializer {
  constructor(private readonly deps: MaterializerDeps) {}

  /** Ingests an artifact (or its id); idempotent per artifact. See {@link IngestOptions}. */
  async ingest(ref: Artifact | string, options: IngestOptions = {}): Promise<IngestResult> {
    assertArtifactRef(ref);
    assertIngestOptions(options);
    const artifact = typeof ref === 'string' ? await this.resolve(ref) : ref;
    // Without `schema`, the @Table the artifact was logged with (API.md §10); else its recorded table name.
    const def = options.schema ? compileTable(options.schema) : artifact.schemaId ? compiledTableBySchemaId(artifact.schemaId) ?? null : null;
    const loggedName = !def && artifact.schemaId ? (await this.deps.schemas.get(artifact.schemaId))?.tableName : undefined;
    const table = hotTableName(def?.name ?? loggedName ?? artifact.key);
    const previous = await this.ingestedTable(artifact.id);
    if (previous) return { artifactId: artifact.id, table: previous.table, rowCount: previous.rowCount, alreadyIngested: true };
    const run = artifact.runId ? await this.deps.runs.get(artifact.runId) : undefined;
    const system = systemValues(artifact.runId, artifact.id, run?.year ?? null, run?.iteration ?? null);
    const data = options.data ?? (def ? await this.readFile(artifact) : undefined);
    if (def && data) this.assertValid(def, data);
    const rowCount = await this.deps.db.withConnection((conn) => inTransaction(conn, async () => {
      const n = data ? await this.appendData(conn, { table, system }, data, def) : await this.appendFile(conn, table, artifact, system);
      const tx = new ConnectionExecutor(conn);
      await tx.run('INSERT INTO ingestion VALUES (?, ?, ?, ?::TIMESTAMP)', [artifact.id, table, n, isoNow()]);
      if (def) await this.deps.schemas.observe(artifact.id, await this.deps.schemas.recordTable(def, tx), 'ingest', tx);
      return n;
    }));
    return { artifactId: artifact.id, table, rowCount, alreadyIngested: false };
  }

  /** The hot table and row count of an ingested artifact, or undefined. */
  async ingestedTable(artifactId: string): Promise<{ table: string; rowCount: number } | undefined> {
    const rows = await this.deps.db.all('SELECT table_name, row_count FROM ingestion WHERE artifact_id = ?', [artifactId]);
    return rows[0] ? { table: String(rows[0].table_name), rowCount: Number(rows[0].row_count) } : undefined;
  }

  /** An ingested artifact's rows from `hot` (system columns removed), or undefined when it was not ingested. */
  async loadFromHot(artifactId: string): Promise<ArrowTable | undefined> {
    const ingested = await this.ingestedTable(artifactId);
    if (!ingested) return undefined;
    const text = `SELECT * ${SYSTEM_EXCLUDE} FROM ${qualify('hot', ingested.table)} WHERE consist_artifact_id = ?`;
    return this.deps.db.withConnection((conn) => queryToArrow(conn, text, [artifactId]));
  }

  /**
   * Loads an artifact as Arrow. When its file is gone and it was ingested, the table is rebuilt
   * from `hot`: always (`'always'`, the default), only for artifacts some run read as an input
   * (`'inputs-only'`), or never (`'never'`, the plain `ARTIFACT_NOT_FOUND`).
   */
  async load(artifact: Artifact, dbFallback: DbFallback = 'always'): Promise<ArrowTable> {
    if (!FALLBACKS.includes(dbFallback)) throw ConfigurationError.invalidOption('dbFallback', dbFallback, FALLBACKS.join(' | '));
    if (dbFallback === 'never' || (await pathExists(artifact.path))) return this.deps.loader.load(artifact);
    if (dbFallback === 'inputs-only' && (await this.deps.artifactRows.consumers(artifact.id)).length === 0) {
      return this.deps.loader.load(artifact);
    }
    return (await this.loadFromHot(artifact.id)) ?? this.deps.loader.load(artifact);
  }

  private async resolve(id: string): Promise<Artifact> {
    const rec = await this.deps.artifactRows.get(id);
    if (!rec) throw ArtifactError.notFound(id, 'No artifact has this id.');
    return this.deps.artifacts.withPath(rec);
  }

  private async readFile(artifact: Artifact): Promise<ArrowTable> {
    await assertIngestibleFile(artifact);
    return this.deps.db.withConnection((conn) => readFileToArrow(conn, artifact.path, artifact.driver as 'csv' | 'parquet' | 'json'));
  }

  private assertValid(def: TableDefinition, data: IngestData): void {
    const rows = data instanceof Arrow.Table ? plainRows(data) : data;
    const violations = validateRows(def, rows);
    if (violations.length) throw new SchemaValidationError(def.name, violations);
  }

  private async appendData(conn: DuckDBConnection, target: HotTarget, data: IngestData, def: TableDefinition | null): Promise<number> {
    const arrow = data instanceof Arrow.Table ? data : rowsToArrow(data);
    const declared = def?.columns.map((c): [string, string] => [c.name, c.duckType]);
    try {
      const onRows = this.deps.onProgress ? amountCounter('ingest', arrow.numRows, this.deps.onProgress, target.table) : undefined;
      return await appendToHot(conn, { ...target, onRows }, arrow, declared);
    } catch (err) {
      // e.g. an empty, NUL-bearing (SQL_TEXT_INVALID) or case-duplicate column name; the transaction rolls back.
      const badName = isConsistError(err) && err.code === 'SQL_TEXT_INVALID';
      throw isConsistError(err) && !badName ? err : ArtifactError.writeFailed(`hot.${target.table}`, err);
    }
  }

  private async appendFile(conn: DuckDBConnection, table: string, artifact: Artifact, system: SystemValues): Promise<number> {
    await assertIngestibleFile(artifact);
    try {
      const n = await insertFileIntoHot(conn, table, artifact, system); // one SQL statement: one event at its end
      if (this.deps.onProgress) amountCounter('ingest', n, this.deps.onProgress, table)(n);
      return n;
    } catch (err) {
      throw isConsistError(err) ? err : ArtifactError.loadFailed(artifact.uri, err);
    }
  }
}

/** `ARTIFACT_UNSUPPORTED_FORMAT` / `ARTIFACT_NOT_FOUND` unless DuckDB can read the artifact's file. */
async function assertIngestibleFile(artifact: Artifact): Promise<void> {
  if (!isReadableDriver(artifact.driver)) throw ArtifactError.unsupportedFormat(artifact.uri, artifact.driver, ['parquet', 'csv', 'json']);
  if (!(await statReadable(artifact.path, artifact.uri))) throw ArtifactError.notFound(artifact.uri, 'Pass data: to ingest rows without a file.');
}


const FALLBACKS: readonly DbFallback[] = ['always', 'inputs-only', 'never'];

const isRow = (r: unknown) => typeof r === 'object' && r !== null && !Array.isArray(r);

/** `CONFIGURATION_INVALID` for malformed ingest options (plain-JS callers included), before anything is read. */
function assertIngestOptions(o: IngestOptions): void {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw ConfigurationError.invalidOption('options', o, 'an object');
  if (o.schema !== undefined && typeof o.schema !== 'function') throw ConfigurationError.invalidOption('schema', o.schema, 'a @Table class');
  if (o.data !== undefined && !(o.data instanceof Arrow.Table) && !(Array.isArray(o.data) && o.data.every(isRow))) {
    throw ConfigurationError.invalidOption('data', o.data, 'an arrow.Table or an array of row objects');
  }
}
