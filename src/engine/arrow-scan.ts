import { randomBytes } from 'node:crypto';
import {
  DuckDBTableFunction, VARCHAR, type DuckDBConnection, type DuckDBDataChunk, type DuckDBTableFunctionInfo,
} from '@duckdb/node-api';
import type * as arrow from 'apache-arrow';
import { CHUNK_ROWS, columnFill, type ColumnFill } from './arrow-chunk-fill';
import { duckDbTypeForArrow } from './arrow-types';
import { quoteLiteral } from '../provenance/sql';

/** The name of the table function that streams a registered Arrow table into a query. */
const FUNCTION_NAME = 'consist_arrow_scan';

/** A table being scanned, and whom to tell of the rows streamed. */
interface Scan {
  table: arrow.Table;
  onRows?: (rows: number) => void;
}

/** Rows streamed between two `onRows` calls at most (and at each batch end). */
const REPORT_ROWS = 122_880;

/** Tables being scanned, by handle; an entry lives only for the duration of {@link withArrowScan}. */
const tables = new Map<string, Scan>();
const registered = new WeakSet<DuckDBConnection>();

/** The position of one scan: batch `batch`, row `row` within it, and the fillers of that batch. */
interface Cursor extends Scan {
  batch: number;
  row: number;
  fills?: ColumnFill[];
  /** Rows streamed since the last `onRows` call. */
  unreported: number;
}

function fail(info: { setError(message: string): void }, cause: unknown): void {
  info.setError(cause instanceof Error ? cause.message : String(cause));
}

function nextChunk(cursor: Cursor, out: DuckDBDataChunk): void {
  const { batches } = cursor.table;
  while (cursor.batch < batches.length && cursor.row >= batches[cursor.batch].numRows) {
    cursor.batch++;
    cursor.row = 0;
    cursor.fills = undefined;
  }
  const batch = batches[cursor.batch];
  if (!batch) {
    out.rowCount = 0;
    return;
  }
  cursor.fills ??= batch.data.children.map((data) => columnFill(data));
  const start = cursor.row;
  const n = Math.min(CHUNK_ROWS, batch.numRows - start);
  out.rowCount = n;
  cursor.fills.forEach((fill, c) => fill(out, c, start, n));
  cursor.row += n;
  cursor.unreported += n;
  if (cursor.onRows && (cursor.row === batch.numRows || cursor.unreported >= REPORT_ROWS)) {
    cursor.onRows(cursor.unreported);
    cursor.unreported = 0;
  }
}

function createScanFunction(): DuckDBTableFunction {
  return DuckDBTableFunction.create({
    name: FUNCTION_NAME,
    parameterTypes: [VARCHAR],
    bindFunction: (bind) => {
      try {
        const handle = String(bind.getParameter(0));
        const scan = tables.get(handle);
        if (!scan) {
          fail(bind, `No Arrow table is registered under '${handle}'; it is only registered inside withArrowScan.`);
          return;
        }
        for (const f of scan.table.schema.fields) bind.addResultColumn(f.name, duckDbTypeForArrow(f.type, f.name));
        bind.setBindData(scan);
        bind.setCardinality(scan.table.numRows, true);
      } catch (cause) {
        fail(bind, cause);
      }
    },
    initFunction: (init) => {
      try {
        const scan = init.getBindData() as Scan;
        init.setInitData({ ...scan, batch: 0, row: 0, unreported: 0 } satisfies Cursor);
        init.setMaxThreads(1);
      } catch (cause) {
        fail(init, cause);
      }
    },
    mainFunction: (info: DuckDBTableFunctionInfo, out: DuckDBDataChunk) => {
      try {
        nextChunk(info.getInitData() as Cursor, out);
      } catch (cause) {
        out.rowCount = 0;
        fail(info, cause);
      }
    },
  });
}

/**
 * Runs `fn` with a SQL table expression that streams `table` into a query in chunks of 2048 rows,
 * each filled from the Arrow buffers (see `arrow-chunk-fill.ts`), with no copy of the table in
 * DuckDB: `COPY (SELECT * FROM <source>) TO …` writes a Parquet file straight from Arrow memory.
 * The table function is registered once per connection; the table is reachable only while `fn`
 * runs. Column types follow {@link duckDbTypeForArrow} (which throws for nested types). `onRows`
 * is told the rows streamed at each batch end and every {@link REPORT_ROWS} rows (write progress). @internal
 */
export async function withArrowScan<T>(conn: DuckDBConnection, table: arrow.Table, fn: (source: string) => Promise<T>,
  onRows?: (rows: number) => void): Promise<T> {
  table.schema.fields.forEach((f) => duckDbTypeForArrow(f.type, f.name));
  if (!registered.has(conn)) {
    conn.registerTableFunction(createScanFunction());
    registered.add(conn);
  }
  const handle = randomBytes(8).toString('hex');
  tables.set(handle, { table, onRows });
  try {
    return await fn(`${FUNCTION_NAME}(${quoteLiteral(handle)})`);
  } finally {
    tables.delete(handle);
  }
}
