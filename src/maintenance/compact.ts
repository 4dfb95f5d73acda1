import { promises as fs } from 'node:fs';
import { quoteIdent, quoteLiteral } from '../provenance/sql';
import { MaintenanceError } from '../errors/maintenance-error';
import { withDatabase, type MaintenanceOptions } from './maintenance-options';

/** Options of {@link compact}. */
export interface CompactOptions extends MaintenanceOptions {
  /**
   * Also rewrite the database into a fresh file (`COPY FROM DATABASE`) and swap it in. DuckDB
   * does not return the space of deleted rows to the OS otherwise. Default true. The database
   * must not be open elsewhere in this process while it runs.
   */
  rewrite?: boolean;
}

/** Sizes (bytes, database file + WAL) before and after {@link compact}. */
export interface CompactReport {
  path: string;
  sizeBefore: number;
  sizeAfter: number;
  rewritten: boolean;
}

/**
 * Checkpoints and vacuums the provenance database, then (by default) rewrites it into a fresh
 * file, which is what actually shrinks it after purges.
 *
 * @example
 * const { sizeBefore, sizeAfter } = await compact('./runs/provenance.duckdb');
 */
export async function compact(dbPath: string, options: CompactOptions = {}): Promise<CompactReport> {
  if (dbPath === ':memory:' || !(await fileSize(dbPath))) throw MaintenanceError.notFound('Database file', dbPath);
  const sizeBefore = await dbSize(dbPath);
  const rewrite = options.rewrite ?? true;
  const tmp = `${dbPath}.compact-${process.pid}.tmp`;
  await fs.rm(tmp, { force: true });
  await withDatabase(dbPath, options, async (db) => {
    await db.run('CHECKPOINT');
    await db.run('VACUUM');
    if (!rewrite) return;
    const [{ name }] = await db.all<{ name: string }>('SELECT current_database() AS name');
    await db.run(`ATTACH ${quoteLiteral(tmp)} AS consist_compacted`);
    try {
      await db.run(`COPY FROM DATABASE ${quoteIdent(name)} TO consist_compacted`);
    } finally {
      await db.run('DETACH consist_compacted');
    }
  });
  if (rewrite) await swapIn(tmp, dbPath);
  return { path: dbPath, sizeBefore, sizeAfter: await dbSize(dbPath), rewritten: rewrite };
}

/** Replaces `target` with `fresh`, keeping the old file until the rename succeeded. */
async function swapIn(fresh: string, target: string): Promise<void> {
  const backup = `${target}.compact-backup`;
  await fs.rename(target, backup);
  // A WAL left beside the old file would be replayed into the new one on the next open.
  await fs.rm(`${target}.wal`, { force: true });
  try {
    await fs.rename(fresh, target);
  } catch (err) {
    await fs.rename(backup, target);
    throw err;
  }
  await fs.rm(backup, { force: true });
}

async function fileSize(file: string): Promise<number> {
  return fs.stat(file).then((s) => s.size, () => 0);
}

async function dbSize(file: string): Promise<number> {
  return (await fileSize(file)) + (await fileSize(`${file}.wal`));
}
