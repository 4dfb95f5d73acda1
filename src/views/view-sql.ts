import { normalizeDuckType } from '../metadata/compile-table';
import { qualify, quoteIdent, quoteLiteral } from '../provenance/sql';

/** The system columns every view exposes, with their DuckDB types. */
export const SYSTEM_COLUMN_TYPES = Object.freeze({
  consist_run_id: 'VARCHAR',
  consist_artifact_id: 'VARCHAR',
  consist_year: 'INTEGER',
  consist_iteration: 'INTEGER',
  consist_scenario_id: 'VARCHAR',
});

/** Names of {@link SYSTEM_COLUMN_TYPES}. */
export type SystemColumn = keyof typeof SYSTEM_COLUMN_TYPES;

/** System columns stored in hot tables (the scenario id comes from the run at query time). */
export const HOT_SYSTEM_COLUMNS = ['consist_run_id', 'consist_artifact_id', 'consist_year', 'consist_iteration'] as const;

/** Provenance of one artifact's rows in a view: who produced it, when, and attached facet values. */
export interface ArtifactMeta {
  artifactId: string;
  runId: string | null;
  year: number | null;
  iteration: number | null;
  scenarioId: string | null;
  /** Facet values rendered as text (cast to the facet column's type in the view), in {@link FacetColumn} order. */
  facets?: readonly (string | null)[];
}

/** A cold (not ingested) file read by a view. */
export interface ColdFile extends ArtifactMeta { path: string }

/** A typed `facet_<key>` column of a grouped view. */
export interface FacetColumn { key: string; column: string; duckType: string }

/** Column-shape options shared by the view parts. */
export interface PartOptions {
  systemColumns: boolean;
  facets: readonly FacetColumn[];
}

/** Readers of cold files, with the arguments every view passes. */
export const COLD_READERS = Object.freeze({ parquet: 'read_parquet', csv: 'read_csv_auto', json: 'read_json_auto' });

/** A cold file driver a view can read. */
export type ColdDriver = keyof typeof COLD_READERS;

const intLiteral = (v: number | null): string => (v !== null && Number.isSafeInteger(v) ? String(v) : 'NULL');
const textLiteral = (v: string | null): string => (v === null ? 'NULL' : quoteLiteral(v));

/** A column of the metadata relation (see {@link metaValuesSql}). */
type MetaColumn = 'run_id' | 'artifact_id' | 'year' | 'iteration' | 'scenario_id' | `f${number}`;

/** The metadata relation's columns after its match column: the system values, then facets `f0`, `f1`… */
const metaColumns = (facetCount: number): MetaColumn[] =>
  ['run_id', 'artifact_id', 'year', 'iteration', 'scenario_id', ...Array.from({ length: facetCount }, (_, i): MetaColumn => `f${i}`)];

/** One artifact's metadata as SQL literals, in {@link metaColumns} order. */
function metaLiterals(meta: ArtifactMeta, facetCount: number): string[] {
  return [textLiteral(meta.runId), quoteLiteral(meta.artifactId), intLiteral(meta.year), intLiteral(meta.iteration),
    textLiteral(meta.scenarioId), ...Array.from({ length: facetCount }, (_, i) => textLiteral(meta.facets?.[i] ?? null))];
}

/** `(VALUES …) AS m(<first>, run_id, artifact_id, …, f0, f1…)`: the per-artifact metadata relation. */
export function metaValuesSql(rows: readonly (ArtifactMeta & { match: string })[], match: string, facetCount: number): string {
  const tuples = rows.map((r) => `(${[quoteLiteral(r.match), ...metaLiterals(r, facetCount)].join(', ')})`);
  return `(VALUES ${tuples.join(', ')}) AS m(${[match, ...metaColumns(facetCount)].join(', ')})`;
}

/** The system and facet columns, each cast from `source(column)` (default: the metadata relation `m`). */
export function metaProjection(opts: PartOptions, source: (column: MetaColumn) => string = (c) => `m.${c}`): string[] {
  const cols = opts.systemColumns ? [
    `CAST(${source('run_id')} AS VARCHAR) AS consist_run_id`,
    `CAST(${source('artifact_id')} AS VARCHAR) AS consist_artifact_id`,
    `CAST(${source('year')} AS INTEGER) AS consist_year`,
    `CAST(${source('iteration')} AS INTEGER) AS consist_iteration`,
    `CAST(${source('scenario_id')} AS VARCHAR) AS consist_scenario_id`,
  ] : [];
  return [...cols, ...opts.facets.map((f, i) => `CAST(${source(`f${i}`)} AS ${f.duckType}) AS ${quoteIdent(f.column)}`)];
}

/**
 * Cold files of one driver, read in ONE vectorized call (`union_by_name`, so columns present in
 * only some files come back NULL elsewhere) and joined to their metadata on `filename`.
 */
export function coldSelectSql(files: readonly ColdFile[], driver: ColdDriver, opts: PartOptions, metaTable?: string): string {
  const paths = `[${files.map((f) => quoteLiteral(f.path)).join(', ')}]`;
  const meta = metaTable ? `${metaTable} AS m` : metaValuesSql(files.map((f) => ({ ...f, match: f.path })), 'fpath', opts.facets.length);
  return `SELECT ${['data.* EXCLUDE (filename)', ...metaProjection(opts)].join(', ')} ` +
    `FROM ${COLD_READERS[driver]}(${paths}, union_by_name = true, filename = true) AS data ` +
    `JOIN ${meta} ON data.filename = m.fpath`;
}

/**
 * The rows of ONE file (`from`: a table function call) with its provenance as typed constants — no
 * join on the file name and no cross join with a one-row relation (which cost ≈ 2 ms per million
 * rows on the OMX long-table bench: 14.4 vs 12.5 ms, the constants matching bare `read_parquet`);
 * for views over a few large files derived from format artifacts. `projection` selects from `data`
 * (default `data.*`).
 */
export function fileSelectSql(from: string, file: ColdFile, opts: PartOptions, projection: readonly string[] = ['data.*']): string {
  const columns = metaColumns(opts.facets.length);
  const literals = metaLiterals(file, opts.facets.length);
  return `SELECT ${[...projection, ...metaProjection(opts, (c) => literals[columns.indexOf(c)])].join(', ')} FROM ${from} AS data`;
}

/** Schema of the per-view metadata tables ({@link coldMetaTableSql}). */
export const META_SCHEMA = 'consist_meta';

/**
 * The statements that (re)write `table` (a name in {@link META_SCHEMA}) with the metadata relation
 * of `files` (match column `fpath`), for {@link coldSelectSql}'s `metaTable`. A view reading 1,000
 * files that carries its metadata as an inline `(VALUES …)` re-parses and re-binds 6,000 literals
 * on every query (≈ 55 ms at 1,000 files on the 2-core test machine, a third of the query); a
 * table written when the view is rebuilt costs nothing per query.
 */
export function coldMetaTableSql(table: string, files: readonly ColdFile[], facetCount: number): string[] {
  const meta = metaValuesSql(files.map((f) => ({ ...f, match: f.path })), 'fpath', facetCount);
  return [`CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA}`, `CREATE OR REPLACE TABLE ${META_SCHEMA}.${quoteIdent(table)} AS SELECT * FROM ${meta}`];
}

/** Every row of a hot table, with the scenario id of the run that produced it (hybrid views). */
export function hotSelectSql(table: string): string {
  return `SELECT t.*, CAST(r.parent_run_id AS VARCHAR) AS consist_scenario_id FROM ${qualify('hot', table)} AS t ` +
    'LEFT JOIN run AS r ON t.consist_run_id = r.id';
}

/** The rows of the given ingested artifacts in a hot table, with metadata and facets (grouped views). */
export function groupedHotSelectSql(table: string, artifacts: readonly ArtifactMeta[], opts: PartOptions): string {
  const meta = metaValuesSql(artifacts.map((a) => ({ ...a, match: a.artifactId })), 'match_id', opts.facets.length);
  return `SELECT ${[`t.* EXCLUDE (${HOT_SYSTEM_COLUMNS.join(', ')})`, ...metaProjection(opts)].join(', ')} ` +
    `FROM ${qualify('hot', table)} AS t JOIN ${meta} ON t.consist_artifact_id = m.match_id`;
}

/** A typed relation with no rows: system columns, then the given columns, then facet columns. */
export function typedEmptySql(columns: readonly { name: string; type: string }[], opts: PartOptions): string {
  const system = opts.systemColumns
    ? Object.entries(SYSTEM_COLUMN_TYPES).map(([name, type]) => `CAST(NULL AS ${type}) AS ${name}`) : [];
  const data = columns.filter((c) => !c.name.startsWith('consist_')).map((c) => `CAST(NULL AS ${normalizeDuckType(c.type) ?? 'VARCHAR'}) AS ${quoteIdent(c.name)}`);
  const facets = opts.facets.map((f) => `CAST(NULL AS ${f.duckType}) AS ${quoteIdent(f.column)}`);
  const all = [...system, ...data, ...facets];
  return `SELECT ${all.length ? all.join(', ') : '1 AS _empty_marker'} WHERE 1 = 0`;
}

/** Parts combined with `UNION ALL BY NAME` (NULL for columns a part lacks). */
export function unionSql(parts: readonly string[]): string {
  return parts.join('\nUNION ALL BY NAME\n');
}

/** `CREATE OR REPLACE VIEW "<name>" AS <body>` (the name is always quoted). */
export function createViewSql(name: string, body: string): string {
  return `CREATE OR REPLACE VIEW ${quoteIdent(name)} AS\n${body}`;
}
