import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { Table } from 'apache-arrow';
import { FormatError } from '../../errors';
import { queryToArrow } from '../../engine/arrow-bridge';
import type { DataEngine } from '../../engine/data-engine';
import { GTFS_NUMERIC, missingGtfsFiles } from './gtfs-spec';
import { extractEntries, inspectZip, type ZipLimits } from './zip-extract';

/** One table file of a feed with its row count. */
export interface GtfsFileInfo {
  /** Table name (`stops`), from the file name (`stops.txt`). */
  name: string;
  file: string;
  rows: number;
}

const sha256OfFile = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/**
 * Extracts a GTFS zip once into `<cacheRoot>/<sha256 of the zip>/`: guarded (unsafe names, entry
 * count, sizes), the required files checked before anything is written, extracted into a temporary
 * folder renamed into place — a failure leaves no partial cache entry. @internal
 */
export async function extractGtfs(zipPath: string, cacheRoot: string, label: string, limits?: ZipLimits): Promise<string> {
  const digest = await sha256OfFile(zipPath);
  const dir = nodePath.join(cacheRoot, digest);
  if (await fs.stat(dir).then(() => true, () => false)) return dir;
  const { zf, files } = await inspectZip(zipPath, label, limits);
  const missing = missingGtfsFiles(files.map((e) => e.fileName));
  if (missing.length) {
    zf.close();
    throw FormatError.gtfsMissingFile(label, missing);
  }
  await fs.mkdir(cacheRoot, { recursive: true });
  const tmp = nodePath.join(cacheRoot, `.${digest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await extractEntries(zf, files, tmp, label);
    await fs.rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err; // another process won the race
      await fs.rm(tmp, { recursive: true, force: true });
    });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * A GTFS feed (`tracker.load(gtfsArtifact)`): its tables as Arrow, read by DuckDB from the extracted
 * cache folder. Every column is text except the reference's numeric ones (see GTFS_NUMERIC), so
 * `25:10:00` times survive.
 */
export class GtfsFeed {
  private constructor(readonly dir: string, readonly files: GtfsFileInfo[], private readonly engine: DataEngine, private readonly label: string) {}

  /** Opens the feed extracted at `dir` (see {@link extractGtfs}), counting each file's rows. */
  static async open(dir: string, engine: DataEngine, label: string): Promise<GtfsFeed> {
    const names = (await fs.readdir(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.txt')).sort();
    const files: GtfsFileInfo[] = [];
    await engine.use(async (conn) => {
      for (const file of names) {
        const t = await queryToArrow(conn, `SELECT count(*)::INTEGER AS n FROM read_csv(${sqlString(nodePath.join(dir, file))}, header=true, all_varchar=true)`)
          .catch((err: unknown) => { throw FormatError.corrupt(label, file, err); });
        files.push({ name: nodePath.basename(file, '.txt'), file, rows: Number(t.get(0)!.toJSON().n) });
      }
    });
    return new GtfsFeed(dir, files, engine, label);
  }

  /** Table names present (`agency`, `stops`, `stop_times`, …). */
  get tables(): string[] {
    return this.files.map((f) => f.name);
  }

  /** Local path of a table's extracted file. @throws FormatError `FORMAT_MEMBER_NOT_FOUND`. */
  pathOf(name: string): string {
    const f = this.files.find((x) => x.name === name || x.file === name);
    if (!f) throw FormatError.memberNotFound(this.label, name, this.tables);
    return nodePath.join(this.dir, f.file);
  }

  /** One table as Arrow (numeric reference columns typed, the rest text). */
  table(name: string): Promise<Table> {
    const path = this.pathOf(name);
    const numeric = GTFS_NUMERIC[nodePath.basename(path, '.txt')] ?? {};
    return this.engine.use(async (conn) => {
      const src = `read_csv(${sqlString(path)}, header=true, all_varchar=true)`;
      const cols = await queryToArrow(conn, `SELECT * FROM ${src} LIMIT 0`);
      const select = cols.schema.fields.map((f) => (numeric[f.name] ? `TRY_CAST(${ident(f.name)} AS ${numeric[f.name]}) AS ${ident(f.name)}` : ident(f.name)));
      return queryToArrow(conn, `SELECT ${select.join(', ') || '*'} FROM ${src}`).catch((err: unknown) => {
        throw FormatError.corrupt(this.label, nodePath.basename(path), err);
      });
    });
  }
}
