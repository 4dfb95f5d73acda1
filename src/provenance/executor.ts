import type { DuckDBConnection } from '@duckdb/node-api';
import { StoreError } from '../errors';

/** Parameters bound to `?` placeholders. Values are always bound, never spliced into SQL. */
export type SqlParams = readonly unknown[];

/** Row objects as DuckDB's JS conversion returns them. */
export type SqlRow = Record<string, unknown>;

/** The narrow port repositories run SQL through: a database, or one transaction of it. */
export interface SqlExecutor {
  all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]>;
  run(sql: string, params?: SqlParams): Promise<void>;
}

/** A {@link SqlExecutor} bound to one open connection. @internal */
export class ConnectionExecutor implements SqlExecutor {
  constructor(readonly connection: DuckDBConnection) {}

  async all<T extends SqlRow = SqlRow>(sql: string, params: SqlParams = []): Promise<T[]> {
    try {
      const reader = await this.connection.runAndReadAll(sql, params.length ? (params as never) : undefined);
      return reader.getRowObjectsJS() as T[];
    } catch (err) {
      throw StoreError.query(sql, params, err);
    }
  }

  async run(sql: string, params: SqlParams = []): Promise<void> {
    try {
      await this.connection.run(sql, params.length ? (params as never) : undefined);
    } catch (err) {
      throw StoreError.query(sql, params, err);
    }
  }
}

/** Anything that runs a statement: a {@link SqlExecutor} or a raw DuckDB connection. */
export interface StatementRunner { run(sql: string): Promise<unknown> }

/**
 * Runs `fn` between `BEGIN TRANSACTION` and `COMMIT` on `conn`; on any error rolls back (a failed
 * rollback is ignored: the first error is the one to report) and rethrows. @internal
 */
export async function inTransaction<T>(conn: StatementRunner, fn: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const value = await fn();
    await conn.run('COMMIT');
    return value;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
