import type { LogArtifactOptions } from '../artifacts/artifact-store';
import type { UriResolver } from '../artifacts/uri';
import { inferDriver } from '../artifacts/drivers';
import { compileTable, normalizeDuckType, schemaIdOf, type SchemaField, type TableDefinition } from '../metadata/compile-table';
import type { Artifact } from '../model';
import type { DataEngine } from '../engine/data-engine';
import type { DbUnits } from '../provenance/database';
import type { SqlExecutor } from '../provenance/executor';
import { insertObservationRow, insertSchemaRows, type SchemaFile, type SchemaFileStore } from '../journal/schema-files';
import { quoteLiteral } from '../provenance/sql';
import type { Logger } from '../util/logger';
import { isoNow } from '../util/time';
import { pathExists } from '../util/fs';
import { ConfigurationError, ViewError } from '../errors';
import { renderTableClass, type ExportSchemaOptions, type StoredSchema } from './schema-export';

/** Where a schema observation came from. */
export type SchemaSource = 'file' | 'user_provided' | 'ingest';

export type { StoredSchema } from './schema-export';

const READERS: Readonly<Record<string, string>> = { parquet: 'read_parquet', csv: 'read_csv_auto' };

/** The collaborators of a {@link SchemaRegistry}. @internal */
export interface SchemaRegistryDeps {
  db: DbUnits;
  engine: DataEngine;
  uris: UriResolver;
  logger: Logger;
  /** The JSON schema files written before the rows. */
  files: SchemaFileStore;
}

/**
 * Records observed and declared schemas (`artifact_schema`, `artifact_schema_field`,
 * `artifact_schema_observation`, each written first to its JSON file in `.consist/schemas/`, see
 * {@link SchemaFileStore}) and profiles Parquet/CSV files through DuckDB's `DESCRIBE`.
 */
export class SchemaRegistry {
  constructor(private readonly deps: SchemaRegistryDeps) {}

  /** The columns of a Parquet or CSV file as DuckDB reads them; undefined for other drivers. */
  async profileFile(path: string, driver: string): Promise<(SchemaField & { nullable: boolean })[] | undefined> {
    const reader = READERS[driver];
    if (!reader) return undefined;
    const rows = await this.deps.engine.use(async (conn) =>
      (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}(${quoteLiteral(path)})`)).getRowObjectsJS());
    return rows.map((r) => ({ name: String(r.column_name), type: normalizeDuckType(String(r.column_type)) ?? String(r.column_type), nullable: r.null !== 'NO' }));
  }

  /**
   * Stores a schema (deduplicated by id) and returns its id: its JSON file first (the truth that
   * `db rebuild` restores from), then the rows.
   */
  async record(fields: readonly (SchemaField & { nullable?: boolean })[], tableName: string | null, source: SchemaSource,
    tx: SqlExecutor = this.deps.db): Promise<string> {
    const schema: SchemaFile = {
      version: 1, id: schemaIdOf(fields), tableName, source,
      fields: fields.map((f) => ({ name: f.name, type: normalizeDuckType(f.type) ?? f.type, nullable: f.nullable ?? true })),
    };
    await this.deps.files.writeSchema(schema);
    await insertSchemaRows(tx, schema, isoNow());
    return schema.id;
  }

  /** Stores a `@Table` definition as a `user_provided` schema. */
  recordTable(def: TableDefinition, tx: SqlExecutor = this.deps.db): Promise<string> {
    return this.record(def.columns.map((c) => ({ name: c.name, type: c.duckType, nullable: c.nullable })), def.name, 'user_provided', tx);
  }

  /** Links an artifact to a schema it was seen with. */
  async observe(artifactId: string, schemaId: string, source: SchemaSource, tx: SqlExecutor = this.deps.db): Promise<void> {
    await this.deps.files.writeObservation({ artifactId, schemaId, source });
    await insertObservationRow(tx, { artifactId, schemaId, source }, isoNow());
  }

  /**
   * Profiles an artifact's file (Parquet/CSV) and records the schema and the observation; returns
   * the schema id, or undefined when the file is missing or not tabular. For `ctx.logTable` outputs.
   */
  async observeFile(artifact: Pick<Artifact, 'id' | 'key' | 'path' | 'driver'>, tableName?: string): Promise<string | undefined> {
    if (!(await pathExists(artifact.path))) return undefined;
    const fields = await this.profileFile(artifact.path, artifact.driver);
    if (!fields) return undefined;
    const id = await this.record(fields, tableName ?? artifact.key, 'file');
    await this.observe(artifact.id, id, 'file');
    return id;
  }

  /**
   * Applies `schema` / `profileSchema` of `logArtifact` options: the returned options carry the
   * `schemaId` (the @Table's id, else the profiled file's id). Profiling failures only warn.
   */
  async prepareLogOptions(ref: string, opts: LogArtifactOptions): Promise<LogArtifactOptions> {
    if (opts.schemaId || (!opts.schema && !opts.profileSchema)) return opts;
    if (opts.schema) return { ...opts, schemaId: await this.recordTable(compileTable(opts.schema)) };
    const path = this.deps.uris.toPath(ref);
    if (!(await pathExists(path))) return opts;
    try {
      const fields = await this.profileFile(path, opts.driver ?? inferDriver(path));
      if (!fields) return opts;
      return { ...opts, schemaId: await this.record(fields, opts.key ?? null, 'file') };
    } catch (err) {
      this.deps.logger.warn(`Could not profile the schema of '${ref}': ${(err as Error).message.split('\n')[0]}`);
      return opts;
    }
  }

  /** A stored schema by id, or undefined. */
  async get(schemaId: string): Promise<StoredSchema | undefined> {
    const head = await this.deps.db.all('SELECT table_name FROM artifact_schema WHERE id = ?', [schemaId]);
    if (!head[0]) return undefined;
    const rows = await this.deps.db.all('SELECT name, type, nullable FROM artifact_schema_field WHERE schema_id = ? ORDER BY position', [schemaId]);
    return {
      id: schemaId, tableName: head[0].table_name === null ? null : String(head[0].table_name),
      fields: rows.map((r) => ({ name: String(r.name), type: String(r.type), nullable: Boolean(r.nullable) })),
    };
  }

  /**
   * TypeScript source of an editable `@Table` class for a schema id, or for the schema of an
   * artifact id. `SCHEMA_NOT_FOUND` when neither is recorded.
   */
  async exportSchema(ref: string, opts: ExportSchemaOptions = {}): Promise<string> {
    if (typeof ref !== 'string' || !ref) throw ConfigurationError.invalidOption('schemaId', ref, 'a schema id or an artifact id');
    const schema = (await this.get(ref)) ?? (await this.getByArtifact(ref));
    if (!schema) throw ViewError.schemaNotFound(ref);
    return renderTableClass(schema, opts);
  }

  private async getByArtifact(artifactId: string): Promise<StoredSchema | undefined> {
    const id = await this.schemaIdOfArtifact(artifactId);
    return id === undefined ? undefined : this.get(id);
  }

  /** The schema id recorded for an artifact: its own `schema_id`, else its newest observation. */
  async schemaIdOfArtifact(artifactId: string): Promise<string | undefined> {
    const rows = await this.deps.db.all(
      `SELECT coalesce(a.schema_id, (SELECT o.schema_id FROM artifact_schema_observation o WHERE o.artifact_id = a.id
         ORDER BY o.observed_at DESC LIMIT 1)) AS schema_id FROM artifact a WHERE a.id = ?`, [artifactId]);
    const id = rows[0]?.schema_id;
    return typeof id === 'string' ? id : undefined;
  }
}
