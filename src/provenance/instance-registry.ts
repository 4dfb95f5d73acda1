import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** DuckDB options every instance is opened with: nothing is fetched from the network. */
export const DUCKDB_OPTIONS = Object.freeze({
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});

interface Entry { instance: Promise<DuckDBInstance>; refs: number }

/**
 * Guards STACK.md's trap: two `DuckDBInstance`s on one file in one process do not see each
 * other's writes and can lose tables. Every open goes through here, keyed by the resolved path,
 * and shares one instance with a reference count.
 * @internal
 */
export class InstanceRegistry {
  private static readonly entries = new Map<string, Entry>();

  /**
   * Opens (or shares) the instance for `file`; `:memory:` always gets a private instance. A new
   * instance for a `readOnly` caller opens `access_mode=READ_ONLY` (a shared file lock; an
   * instance already open in this process is shared whatever its mode).
   */
  static async acquire(file: string, readOnly = false): Promise<DuckDBInstance> {
    if (file === ':memory:') return DuckDBInstance.create(':memory:', DUCKDB_OPTIONS);
    const key = path.resolve(file);
    const existing = this.entries.get(key);
    if (existing) {
      existing.refs++;
      return existing.instance;
    }
    const options = readOnly ? { ...DUCKDB_OPTIONS, access_mode: 'READ_ONLY' } : DUCKDB_OPTIONS;
    const entry: Entry = { instance: DuckDBInstance.create(key, options), refs: 1 };
    this.entries.set(key, entry);
    try {
      return await entry.instance;
    } catch (err) {
      this.entries.delete(key);
      throw err;
    }
  }

  /** Drops one reference; the instance is closed (and the file lock released) at zero. */
  static async release(file: string, instance: DuckDBInstance): Promise<void> {
    if (file === ':memory:') {
      instance.closeSync();
      return;
    }
    const key = path.resolve(file);
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.entries.delete(key);
    instance.closeSync();
  }
}
