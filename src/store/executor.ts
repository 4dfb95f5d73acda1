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
