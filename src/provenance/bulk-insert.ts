import { BOOLEAN, DOUBLE, DuckDBDataChunk, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { StoreError } from '../errors';
import { ConnectionExecutor, type SqlExecutor } from './executor';
import type { InsertColumn, InsertTarget, StageKind } from './insert-columns';

/** Bound parameters per `VALUES` statement. */
const MAX_PARAMS = 4_000;
/** Rows per appended chunk (DuckDB's vector size). */
const CHUNK_ROWS = 2_048;
/**
 * From this many values on, rows are staged. Binding one parameter at a time and planning a large
 * `VALUES` list cost ≈ 0.2 ms per 10-column row; appending to a temp table and inserting from it
 * costs ≈ 0.03 ms per row but ≈ 2 ms of fixed work (measured in docs/performance.md).
 */
const STAGE_MIN_VALUES = 600;

const STAGE_TYPES: Record<StageKind, DuckDBType> = { text: VARCHAR, double: DOUBLE, bool: BOOLEAN };

/**
 * Inserts `rows` (values in `target.columns` order) with as few statements as the size allows: a
 * few `VALUES` statements for small sets, and for large ones (≥ `stageMinValues` values, on a
 * connection) one appender into a per-connection temp table and one `INSERT … SELECT` from it.
 * Both run in the caller's transaction, so a failure leaves nothing behind. Conflict semantics are
 * the target's verb either way.
 * @internal
 */
export async function insertRows(tx: SqlExecutor, target: InsertTarget, rows: readonly unknown[][], stageMinValues = STAGE_MIN_VALUES): Promise<void> {
  if (!rows.length) return;
  if (tx instanceof ConnectionExecutor && rows.length * target.columns.length >= stageMinValues) {
    return insertStaged(tx, target, rows);
  }
  const head = `${target.verb} INTO ${target.table} (${target.columns.map((c) => c.name).join(', ')}) VALUES`;
  const placeholders = target.columns.map((c) => (c.cast ? `?::${c.cast}` : '?')).join(', ');
  const size = Math.max(1, Math.floor(MAX_PARAMS / target.columns.length));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await tx.run(`${head} ${chunk.map(() => `(${placeholders})`).join(', ')}`, chunk.flat());
  }
}

async function insertStaged(tx: ConnectionExecutor, target: InsertTarget, rows: readonly unknown[][]): Promise<void> {
  const stage = `consist_stage_${target.table}`;
  const cols = target.columns.map((c, i) => `c${i} ${STAGE_TYPES[c.kind].toString()}`).join(', ');
  await tx.run(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${cols})`);
  try {
    await appendStaged(tx, stage, target.columns, rows);
    const select = target.columns.map((c, i) => (c.cast ? `CAST(c${i} AS ${c.cast})` : `c${i}`)).join(', ');
    await tx.run(`${target.verb} INTO ${target.table} (${target.columns.map((c) => c.name).join(', ')}) SELECT ${select} FROM temp.${stage}`);
  } finally {
    await tx.run(`DELETE FROM temp.${stage}`);
  }
}

async function appendStaged(tx: ConnectionExecutor, stage: string, columns: readonly InsertColumn[], rows: readonly unknown[][]): Promise<void> {
  const types = columns.map((c) => STAGE_TYPES[c.kind]);
  try {
    const appender = await tx.connection.createAppender(stage, 'main', 'temp');
    try {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const slice = rows.slice(i, i + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, slice.length);
        columns.forEach((c, j) => chunk.setColumnValues(j, slice.map((r) => stageValue(r[j], c.kind))));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  } catch (err) {
    throw StoreError.query(`APPEND ${rows.length} row(s) TO temp.${stage}`, [], err);
  }
}

function stageValue(v: unknown, kind: StageKind): DuckDBValue {
  if (v === null || v === undefined) return null;
  if (kind === 'double') return typeof v === 'number' ? v : Number(v);
  if (kind === 'bool') return Boolean(v);
  return typeof v === 'string' ? v : String(v);
}
