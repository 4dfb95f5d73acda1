import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table as ArrowTable } from 'apache-arrow';
import { appendArrowTable, duckTypeForArrow, type ConstantColumn } from '../engine/arrow-bridge';
import { qualify, quoteIdent, quoteLiteral } from '../provenance/sql';

/** The system columns written into every hot table, with their values for one artifact. */
export type SystemValues = Readonly<Record<'consist_run_id' | 'consist_artifact_id' | 'consist_year' | 'consist_iteration', ConstantColumn>>;

/** Builds {@link SystemValues} for one artifact. */
export function systemValues(runId: string | null, artifactId: string, year: number | null, iteration: number | null): SystemValues {
  return {
    consist_run_id: { type: 'VARCHAR', value: runId },
    consist_artifact_id: { type: 'VARCHAR', value: artifactId },
    consist_year: { type: 'INTEGER', value: year },
    consist_iteration: { type: 'INTEGER', value: iteration },
  };
}

/** Column name (lower case) → type of `hot.<table>`; empty when the table does not exist. */
export async function hotColumns(conn: DuckDBConnection, table: string): Promise<Map<string, string>> {
  const reader = await conn.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'hot'
     AND table_name = ? ORDER BY column_index`, [table]);
  return new Map(reader.getRowObjectsJS().map((r) => [String(r.column_name).toLowerCase(), String(r.data_type)]));
}

/**
 * Creates `hot.<table>` with `columns` + the system columns, or adds the columns it lacks
 * (`ALTER TABLE … ADD COLUMN`), so later artifacts may bring new columns. Types must be validated names.
 */
export async function ensureHotTable(conn: DuckDBConnection, table: string, columns: readonly [string, string][], system: SystemValues): Promise<void> {
  const all: [string, string][] = [...columns, ...Object.entries(system).map(([n, c]): [string, string] => [n, c.type])];
  const existing = await hotColumns(conn, table);
  await conn.run('CREATE SCHEMA IF NOT EXISTS hot');
  if (existing.size === 0) {
    await conn.run(`CREATE TABLE ${qualify('hot', table)} (${all.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`);
    return;
  }
  for (const [name, type] of all) {
    if (!existing.has(name.toLowerCase())) await conn.run(`ALTER TABLE ${qualify('hot', table)} ADD COLUMN ${quoteIdent(name)} ${type}`);
  }
}

/** Where ingested rows go: the `hot` table and the system column values stamped on every row. */
export interface HotTarget {
  table: string;
  system: SystemValues;
  /** Told the row count of each batch appended (ingest progress). */
  onRows?: (rows: number) => void;
}

/** Appends an Arrow table (through DataChunks, never row by row) with the system columns. */
export async function appendToHot(conn: DuckDBConnection, { table, system, onRows }: HotTarget, data: ArrowTable,
  declared?: readonly [string, string][]): Promise<number> {
  const columns = declared ?? data.schema.fields.map((f): [string, string] => [f.name, duckTypeForArrow(f.type)]);
  await ensureHotTable(conn, table, columns, system);
  return appendArrowTable(conn, { schema: 'hot', table }, data, { extraColumns: system, onRows });
}

const READERS: Readonly<Record<string, string>> = { parquet: 'read_parquet', csv: 'read_csv_auto', json: 'read_json_auto' };

/** True when DuckDB reads this driver natively. */
export const isReadableDriver = (driver: string): boolean => Object.prototype.hasOwnProperty.call(READERS, driver);

function constantSql(c: ConstantColumn): string {
  if (c.value === null) return `CAST(NULL AS ${c.type})`;
  return typeof c.value === 'string' ? `CAST(${quoteLiteral(c.value)} AS ${c.type})` : `CAST(${String(Number(c.value))} AS ${c.type})`;
}

/** Loads a whole file with `INSERT INTO hot.<table> BY NAME SELECT …, <system values> FROM read_*(path)`. */
export async function insertFileIntoHot(conn: DuckDBConnection, table: string, file: { path: string; driver: string }, system: SystemValues): Promise<number> {
  const source = `${READERS[file.driver]}(${quoteLiteral(file.path)})`;
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJS();
  await ensureHotTable(conn, table, described.map((r): [string, string] => [String(r.column_name), String(r.column_type)]), system);
  const consts = Object.entries(system).map(([name, c]) => `${constantSql(c)} AS ${name}`).join(', ');
  const result = await conn.run(`INSERT INTO ${qualify('hot', table)} BY NAME SELECT *, ${consts} FROM ${source}`);
  return Number(result.rowsChanged);
}
