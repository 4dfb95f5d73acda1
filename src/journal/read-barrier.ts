import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database, DbUnits, UnitOptions } from '../provenance/database';
import type { SqlExecutor, SqlParams, SqlRow } from '../provenance/executor';
import type { Indexer } from './indexer';

/**
 * The provenance database as every reader of a tracker sees it (queries, views, `sql`, `tracker.db`,
 * ingestion, lineage, `inputs-missing` hydration): each unit first calls the read barrier
 * ({@link Indexer.drain}), so a read sees every run this process recorded before it
 * (read-your-writes) and, in `shared` mode, every pending run of the folder. The barrier is a
 * no-op when nothing waits. The indexer itself commits on the raw {@link Database}. Without an
 * indexer (a journal-only tracker) it is the database, whose units throw `JOURNAL_ONLY`.
 * @internal
 */
export class DrainedDatabase implements DbUnits {
  constructor(private readonly db: Database, private readonly indexer: Indexer | undefined) {}

  get unitSerial(): number {
    return this.db.unitSerial;
  }

  get soleWriter(): boolean {
    return this.db.soleWriter;
  }

  async settle(): Promise<void> {
    await this.indexer?.drain();
  }

  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>, options?: UnitOptions): Promise<T> {
    await this.indexer?.drain();
    return this.db.withConnection(fn, options);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: UnitOptions): Promise<T> {
    await this.indexer?.drain();
    return this.db.transaction(fn, options);
  }

  async all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    await this.indexer?.drain();
    return this.db.all<T>(sql, params);
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.indexer?.drain();
    return this.db.run(sql, params);
  }
}
