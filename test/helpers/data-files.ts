import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { rowsToArrow, writeParquet } from '../../src/engine/arrow-bridge';

/** Writes rows to a Parquet file through a private in-memory DuckDB (the arrow bridge). */
export async function writeParquetRows(file: string, rows: readonly Record<string, unknown>[]): Promise<string> {
  mkdirSync(path.dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await writeParquet(conn, rowsToArrow(rows), file);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return file;
}
