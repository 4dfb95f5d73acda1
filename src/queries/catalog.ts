import { UiError, ViewError } from '../errors';
import { plainValue, quoteIdent, type QuerySource } from './query-source';

/** One view stored in the database. */
export interface ListedView {
  name: string;
  schema: string;
  columns: number | null;
  sql: string;
}

/** One recorded schema of tabular artifacts. */
export interface ListedSchema {
  id: string;
  tableName: string | null;
  source: string | null;
  fields: number;
  artifacts: number;
  createdAt: string;
}

/** Rows of a preview or of the read-only SQL box, with their column names. */
export interface RowsResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
  /** True when more rows existed than `limit`. */
  truncated: boolean;
}

/** The body of a view's SQL on one line, without `CREATE [OR REPLACE] VIEW <name> AS`. */
export function viewBody(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  const m = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:"(?:[^"]|"")*"|[^\s(]+)(?:\s*\([^)]*\))?\s+AS\s+(.*)$/is.exec(oneLine);
  return (m ? m[1] : oneLine).replace(/;$/, '');
}

/** The views stored in the database (grouped views, hybrid views, user views), by schema and name. */
export async function listViews(source: QuerySource): Promise<ListedView[]> {
  const rows = await source.sql(
    `SELECT view_name, schema_name, column_count, sql FROM duckdb_views()
     WHERE NOT internal AND NOT temporary AND database_name = current_database() ORDER BY schema_name, view_name`);
  return rows.map((r) => ({
    name: String(r.view_name), schema: String(r.schema_name),
    columns: r.column_count === null || r.column_count === undefined ? null : Number(r.column_count),
    sql: String(r.sql ?? ''),
  }));
}

/** The schemas recorded for tabular artifacts, oldest first, with how many artifacts use each. */
export async function listSchemas(source: QuerySource): Promise<ListedSchema[]> {
  const rows = await source.sql(
    `SELECT s.id, s.table_name, s.source, s.field_count, CAST(s.created_at AS VARCHAR) AS created_at,
       (SELECT count(DISTINCT a.id) FROM artifact a WHERE a.schema_id = s.id
          OR EXISTS (SELECT 1 FROM artifact_schema_observation o WHERE o.artifact_id = a.id AND o.schema_id = s.id)) AS artifacts
     FROM artifact_schema s ORDER BY s.created_at, s.id`);
  return rows.map((r) => ({
    id: String(r.id), tableName: r.table_name === null ? null : String(r.table_name), source: r.source === null ? null : String(r.source),
    fields: Number(r.field_count), artifacts: Number(r.artifacts), createdAt: String(r.created_at),
  }));
}

const MAX_ROWS = 1000;

function checkLimit(limit: number | undefined): number {
  const n = limit ?? 100;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ROWS) throw UiError.badRequest('limit', `an integer 1…${MAX_ROWS}`);
  return n;
}

async function limitedRows(source: QuerySource, select: string, limit: number): Promise<RowsResult> {
  const rows = await source.sql(`SELECT * FROM (${select}) AS consist_q LIMIT ${limit + 1}`);
  const kept = rows.slice(0, limit).map((r) => plainValue(r) as Record<string, unknown>);
  return { columns: rows[0] ? Object.keys(rows[0]) : [], rows: kept, truncated: rows.length > limit };
}

/** The first rows of a stored view (`schema.name` or `name`); `VIEW_SELECTION_INVALID` when there is no such view. */
export async function previewView(source: QuerySource, name: string, limit?: number): Promise<RowsResult> {
  const n = checkLimit(limit);
  const dot = name.indexOf('.');
  const [schema, view] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : ['main', name];
  const found = (await listViews(source)).some((v) => v.schema === schema && v.name === view);
  if (!found) throw ViewError.selectionInvalid(`no view named '${name.slice(0, 200)}'; list them with \`consist views list\``);
  return limitedRows(source, `SELECT * FROM ${quoteIdent(schema)}.${quoteIdent(view)}`, n);
}

/**
 * Runs one read-only statement and returns at most `limit` rows. DuckDB's own parser decides:
 * `json_serialize_sql` accepts only SELECT statements, so INSERT, DELETE, COPY, ATTACH, PRAGMA,
 * SET, CREATE … and multiple statements are refused with `UI_SQL_NOT_READ_ONLY` before anything
 * runs. (Table functions that read local files, such as `read_csv`, remain allowed: the UI serves
 * 127.0.0.1 only.)
 */
export async function readOnlySql(source: QuerySource, text: string, limit?: number): Promise<RowsResult> {
  const n = checkLimit(limit);
  if (typeof text !== 'string' || !text.trim()) throw UiError.sqlNotReadOnly('the statement is empty');
  const body = text.trim().replace(/;\s*$/, '');
  const [{ j }] = await source.sql<{ j: string }>('SELECT json_serialize_sql(?::VARCHAR) AS j', [body]);
  const parsed = JSON.parse(String(j)) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (parsed.error) throw UiError.sqlNotReadOnly(String(parsed.error_message ?? 'not a SELECT'));
  if ((parsed.statements ?? []).length !== 1) throw UiError.sqlNotReadOnly('exactly one statement is allowed');
  return limitedRows(source, body, n);
}
