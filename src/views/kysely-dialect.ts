import type {
  CompiledQuery, DatabaseConnection, DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler, QueryResult,
} from 'kysely';
import type { DuckDbDialect } from 'kysely-duckdb';
import { StoreError } from '../errors';
import type { DbUnits } from '../provenance/database';
import { ConnectionExecutor, type SqlRow } from '../provenance/executor';

/**
 * DuckDB returns BIGINT/HUGEINT as `bigint`; rows handed to users carry `number` when the value is
 * a safe integer (so `@Column() @IsInt() age!: number` is what you get back), else the `bigint`.
 */
export function toPlainRows<T extends SqlRow>(rows: readonly SqlRow[]): T[] {
  return rows.map((row) => {
    const out: SqlRow = {};
    for (const [k, v] of Object.entries(row)) {
      out[k] = typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    return out as T;
  });
}

/** Called before every query (e.g. to re-create views that are out of date). */
export type BeforeQuery = () => Promise<void>;

class DatabaseBackedConnection implements DatabaseConnection {
  constructor(private readonly db: DbUnits, private readonly beforeQuery: BeforeQuery) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!/^\s*(begin|commit|rollback)/i.test(query.sql)) await this.beforeQuery();
    const rows = await this.db.withConnection((conn) => new ConnectionExecutor(conn).all(query.sql, query.parameters));
    return { rows: toPlainRows(rows) as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw StoreError.unsupported('Streaming from tracker.db', 'use execute() or View.toArrow()');
  }
}

class DatabaseBackedDriver implements Driver {
  constructor(private readonly db: DbUnits, private readonly beforeQuery: BeforeQuery) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new DatabaseBackedConnection(this.db, this.beforeQuery);
  }
  // Each query is its own unit of work on the shared Database; Kysely transactions are not offered.
  async beginTransaction(): Promise<void> {
    throw StoreError.unsupported('A transaction on tracker.db', 'use tracker.sql for writes');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/**
 * A Kysely dialect over the provenance {@link Database}: DuckDB's SQL compiler from
 * `kysely-duckdb`, and a driver that runs each query as one serialized unit of work (so it
 * shares the file lock and connection discipline of every other tracker operation).
 */
export class ProvenanceDialect implements Dialect {
  // Loaded here, not at import time: kysely-duckdb (and kysely) cost ~100 ms of start-up that
  // commands such as `consist runs` never need. See docs/performance.md.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  private readonly duck: DuckDbDialect = new (require('kysely-duckdb') as typeof import('kysely-duckdb')).DuckDbDialect({
    database: () => Promise.reject(new Error('not used')),
  });

  constructor(private readonly db: DbUnits, private readonly beforeQuery: BeforeQuery = async () => undefined) {}

  createQueryCompiler(): QueryCompiler {
    return this.duck.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.duck.createAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.duck.createIntrospector(db);
  }
  createDriver(): Driver {
    return new DatabaseBackedDriver(this.db, this.beforeQuery);
  }
}
