import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DUCKDB_OPTIONS } from '../provenance/instance-registry';
import type { ProgressHook } from '../util/progress';

/**
 * A private in-memory DuckDB used for file work (loading CSV/Parquet/JSON into Arrow, writing
 * Parquet outputs). It never touches the provenance file, so loads take no file lock.
 * @internal
 */
export class DataEngine {
  /**
   * @param parquetCompression the codec of Parquet files written through this engine (a DuckDB
   *   `COMPRESSION` name; validated by the tracker options).
   * @param onProgress told `parquet` write progress (`Tracker.open({ onProgress })`).
   */
  constructor(readonly parquetCompression = 'snappy', readonly onProgress?: ProgressHook) {}

  private instance: DuckDBInstance | undefined;
  private connection: DuckDBConnection | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `fn` with the engine's connection, serialized with other uses. */
  use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => fn(await this.connect()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = undefined;
    this.instance = undefined;
  }

  private async connect(): Promise<DuckDBConnection> {
    if (!this.connection) {
      this.instance = await DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
      this.connection = await this.instance.connect();
    }
    return this.connection;
  }
}
