import { StoreError } from '../errors';
import type { DbUnits } from '../provenance/database';
import { ConnectionExecutor, type SqlRow } from '../provenance/executor';
import { isReadOnlySql } from './read-only-sql';

/** What the hybrid views depend on: artifact rows (count, newest), ingestions, schema observations. */
const GENERATION_SQL = `SELECT concat_ws(':', (SELECT count(*) FROM artifact), (SELECT CAST(max(created_at) AS VARCHAR) FROM artifact),
  (SELECT count(*) FROM ingestion), (SELECT count(*) FROM artifact_schema_observation)) AS g`;

/**
 * When the hybrid views must be checked against the catalog.
 *
 * The check is one statement (the catalog generation, ≈ 2 ms). It is skipped when this process is
 * the file's only writer (`exclusive`) and no unit of work has run since the last check, or since
 * a read-only query that directly followed it: then nothing can have changed the catalog. Any
 * other unit — a commit of the indexer, an ingestion, maintenance, a Kysely query, a statement
 * that may write — makes the next query check again. In `shared` mode every query checks (other processes write).
 * The statement is not kept prepared across units: a live prepared statement keeps its DuckDB
 * instance open after a `shared`-mode release, and the next unit's new instance on the same file
 * then disagrees with it (measured: stale generations after a DELETE).
 * @internal
 */
export class CatalogFreshness {
  /** Serial of the last unit known to leave the catalog as the views saw it (a check, or a read-only query right after one). */
  private checkedAt: number | undefined;
  /** Serial of the last generation query's unit. */
  private lastCheck: number | undefined;

  constructor(private readonly db: DbUnits) {}

  /**
   * The catalog generation, or `undefined` when nothing can have changed since the last check
   * (never with `force`: a view not built yet needs the generation it is built at).
   */
  async generation(force: boolean): Promise<string | undefined> {
    await this.db.settle(); // runs recorded before this call count as changes
    if (!force && this.db.soleWriter && this.checkedAt === this.db.unitSerial) return undefined;
    return this.db.withConnection(async (conn) => {
      this.lastCheck = this.db.unitSerial; // units are serialized: this is the serial of this one
      try {
        return String((await conn.runAndReadAll(GENERATION_SQL)).getRowObjectsJS()[0].g);
      } catch (err) {
        throw StoreError.query(GENERATION_SQL, [], err);
      }
    });
  }

  /**
   * The last check found every view current (nothing rebuilt). A unit that ran after the check's
   * own (a background commit, a rebuild) leaves the serial ahead, so the next query checks again.
   */
  checked(): void {
    this.checkedAt = this.lastCheck;
  }

  /**
   * Runs `text` (one or more statements; `params` bind the last) as one unit and returns the last
   * statement's rows. When it is certainly one read-only statement ({@link isReadOnlySql}) and the
   * unit directly followed a valid check, the check stays valid.
   */
  async read(text: string, params: readonly unknown[]): Promise<SqlRow[]> {
    const since = this.checkedAt;
    let serial: number | undefined;
    const rows = await this.db.withConnection((conn) => {
      serial = this.db.unitSerial; // this unit's serial: the previous one was the check when nothing ran between
      return new ConnectionExecutor(conn).all(text, params);
    });
    if (since !== undefined && isReadOnlySql(text) && serial === since + 1 && this.checkedAt === since) this.checkedAt = serial;
    return rows;
  }
}
