import { isoNow } from '../util/time';
import { inTransaction, type SqlExecutor } from './executor';

/** One additive schema change. Applied once, recorded in `schema_migrations`. */
export interface Migration { version: number; name: string; statements: readonly string[] }

const FACET_KV_COLUMNS = `namespace VARCHAR NOT NULL, key VARCHAR NOT NULL, value_type VARCHAR NOT NULL,
  value_str VARCHAR, value_num DOUBLE, value_bool BOOLEAN, value_json JSON`;

/** The schema of the provenance database, oldest first. Never edit a shipped migration; add one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables',
    statements: [
      `CREATE TABLE IF NOT EXISTS run (
        id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, name VARCHAR NOT NULL, model VARCHAR,
        parent_run_id VARCHAR, status VARCHAR NOT NULL, year INTEGER, iteration INTEGER, tags VARCHAR[],
        signature VARCHAR, code_hash VARCHAR, config_hash VARCHAR, input_hash VARCHAR,
        cache_hit BOOLEAN NOT NULL DEFAULT false, reused_run_id VARCHAR,
        config JSON, facet JSON, meta JSON, error JSON,
        started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, duration_ms BIGINT)`,
      `CREATE TABLE IF NOT EXISTS artifact (
        id VARCHAR PRIMARY KEY, key VARCHAR NOT NULL, uri VARCHAR NOT NULL, driver VARCHAR NOT NULL,
        hash VARCHAR, size BIGINT, run_id VARCHAR, schema_id VARCHAR, meta JSON, created_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS run_artifact_link (
        run_id VARCHAR NOT NULL, artifact_id VARCHAR NOT NULL, key VARCHAR NOT NULL, direction VARCHAR NOT NULL,
        PRIMARY KEY (run_id, artifact_id))`,
      `CREATE TABLE IF NOT EXISTS config_facet (id VARCHAR PRIMARY KEY, namespace VARCHAR, facet JSON NOT NULL, key_count INTEGER)`,
      `CREATE TABLE IF NOT EXISTS run_config_kv (run_id VARCHAR NOT NULL, ${FACET_KV_COLUMNS})`,
      `CREATE TABLE IF NOT EXISTS artifact_kv (artifact_id VARCHAR NOT NULL, ${FACET_KV_COLUMNS})`,
      `CREATE TABLE IF NOT EXISTS artifact_schema (
        id VARCHAR PRIMARY KEY, table_name VARCHAR, field_count INTEGER NOT NULL, source VARCHAR, created_at TIMESTAMP NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS artifact_schema_field (
        schema_id VARCHAR NOT NULL, position INTEGER NOT NULL, name VARCHAR NOT NULL, type VARCHAR NOT NULL,
        nullable BOOLEAN NOT NULL DEFAULT true, PRIMARY KEY (schema_id, position))`,
      `CREATE TABLE IF NOT EXISTS ingestion (
        artifact_id VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL, row_count BIGINT NOT NULL, ingested_at TIMESTAMP NOT NULL)`,
      'CREATE INDEX IF NOT EXISTS idx_run_signature ON run (signature)',
      'CREATE INDEX IF NOT EXISTS idx_run_parent ON run (parent_run_id)',
      'CREATE INDEX IF NOT EXISTS idx_artifact_key ON artifact (key)',
      'CREATE INDEX IF NOT EXISTS idx_artifact_uri ON artifact (uri)',
      'CREATE INDEX IF NOT EXISTS idx_link_run ON run_artifact_link (run_id)',
      'CREATE INDEX IF NOT EXISTS idx_link_artifact ON run_artifact_link (artifact_id)',
      'CREATE INDEX IF NOT EXISTS idx_run_kv_run ON run_config_kv (run_id)',
      'CREATE INDEX IF NOT EXISTS idx_artifact_kv_artifact ON artifact_kv (artifact_id)',
      'CREATE SCHEMA IF NOT EXISTS hot',
    ],
  },
  {
    version: 2,
    name: 'schema observations',
    statements: [
      `CREATE TABLE IF NOT EXISTS artifact_schema_observation (
        artifact_id VARCHAR NOT NULL, schema_id VARCHAR NOT NULL, source VARCHAR NOT NULL, observed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (artifact_id, schema_id, source))`,
      'CREATE INDEX IF NOT EXISTS idx_schema_obs_schema ON artifact_schema_observation (schema_id)',
    ],
  },
  {
    version: 3,
    name: 'facet namespaces by model',
    // Databases written before API.md §11 indexed every facet under ''. Run facets move to the run's
    // model; artifact facets without an explicit facetNamespace to their producing run's model, or
    // (raw files) the model of a run that logged them. Rows with an explicit namespace are untouched.
    statements: [
      `UPDATE run_config_kv SET namespace = r.model FROM run AS r
       WHERE r.id = run_config_kv.run_id AND run_config_kv.namespace = '' AND r.model IS NOT NULL`,
      `UPDATE artifact_kv SET namespace = src.model FROM (
         SELECT a.id, coalesce(p.model, (SELECT max(lr.model) FROM run_artifact_link AS l JOIN run AS lr ON lr.id = l.run_id
           WHERE l.artifact_id = a.id)) AS model
         FROM artifact AS a LEFT JOIN run AS p ON p.id = a.run_id
         WHERE json_extract_string(a.meta, '$.facetNamespace') IS NULL) AS src
       WHERE src.id = artifact_kv.artifact_id AND artifact_kv.namespace = '' AND src.model IS NOT NULL`,
    ],
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies every migration not yet recorded, each in its own transaction. Safe to call on every open. */
export async function migrate(db: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
  const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await inTransaction(db, async () => {
      for (const sql of m.statements) await db.run(sql);
      await db.run('INSERT INTO schema_migrations VALUES (?, ?, ?::TIMESTAMP)', [m.version, m.name, isoNow()]);
    });
    done.push(m.version);
  }
  return done;
}
