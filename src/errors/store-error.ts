import { ConsistError } from './consist-error';

/** Codes of {@link StoreError}. */
export type StoreErrorCode = 'DB_LOCKED' | 'DB_QUERY_FAILED' | 'DB_CLOSED' | 'DB_OPEN_FAILED' | 'DB_UNSUPPORTED' | 'SNAPSHOT_INVALID' | 'JOURNAL_ONLY' | 'SQL_TEXT_INVALID' | 'READ_ONLY';

/** The provenance database or a snapshot could not be read or written. */
export class StoreError extends ConsistError<StoreErrorCode> {
  constructor(readonly code: StoreErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  /** Wraps a DuckDB error with the SQL and its parameters. */
  static query(sql: string, params: readonly unknown[], cause: unknown): StoreError {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new StoreError('DB_QUERY_FAILED', `Query failed: ${why}\n  SQL: ${sql.slice(0, 500)}`,
      { details: { sql, params }, cause });
  }
  /** An operation the provenance DB handle does not offer; `instead` says what to use. */
  static unsupported(what: string, instead: string): StoreError {
    return new StoreError('DB_UNSUPPORTED', `${what} is not supported; ${instead}.`, { details: { what } });
  }
  static closed(path: string): StoreError {
    return new StoreError('DB_CLOSED', `The database '${path}' is closed. Open a new Tracker.`, { details: { path } });
  }
  static openFailed(path: string, cause: unknown): StoreError {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new StoreError('DB_OPEN_FAILED', `Cannot open database '${path}': ${why}`, { details: { path }, cause });
  }
  /** A recording (snapshot, pending marker) through a tracker opened with `readOnly: true`. */
  static readOnly(runDir: string): StoreError {
    return new StoreError('READ_ONLY', `This tracker was opened with readOnly: true (a reader such as consist ui) and records nothing in '${runDir}'. ` +
      'To record runs, open a normal tracker: Tracker.open({ runDir }).', { details: { runDir } });
  }
  /** A database call on a journal-only tracker. */
  static journalOnly(path: string): StoreError {
    return new StoreError('JOURNAL_ONLY', `This tracker was opened with journalOnly: true and never opens the database '${path}'. ` +
      `Queries, views and SQL need a normal tracker: Tracker.open({ runDir }) (it folds the journal's runs into the database at open).`,
      { details: { path } });
  }

  /** An identifier or literal to be quoted into SQL contains a NUL character, which DuckDB cannot store. */
  static nulInSql(kind: 'identifier' | 'literal'): StoreError {
    return new StoreError('SQL_TEXT_INVALID',
      `SQL ${kind} contains a NUL character, which DuckDB cannot store: remove the NUL byte from the name or value`,
      { details: { kind } });
  }

  static invalidSnapshot(path: string, why: string): StoreError {
    return new StoreError('SNAPSHOT_INVALID', `Snapshot '${path}' is unreadable: ${why}.`, { details: { path } });
  }
}

/** Another process holds the DuckDB file lock and did not release it before the deadline. */
export class DatabaseLockedError extends StoreError {
  constructor(readonly path: string, readonly holder: string, readonly waitedMs: number, cause?: unknown) {
    super('DB_LOCKED',
      `Database '${path}' is locked by ${holder}; waited ${waitedMs} ms. Wait for that process to finish, ` +
        `or raise lockTimeoutMs in Tracker.open.`, { details: { path, holder, waitedMs }, cause });
  }
}
