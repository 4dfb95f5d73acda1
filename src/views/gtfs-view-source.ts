import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { extractGtfs } from '../formats/gtfs/gtfs-feed';
import type { TableDefinition } from '../metadata/compile-table';
import type { DbUnits } from '../provenance/database';
import { quoteIdent, quoteLiteral } from '../provenance/sql';
import { pathExists } from '../util/fs';
import type { FormatArtifactFile, FormatArtifactFinder } from './format-artifacts';
import { HYBRID_PART, type ViewSource } from './hybrid-view';
import { fileSelectSql, unionSql } from './view-sql';

/** A logged GTFS feed and the folder it is extracted to. */
interface ExtractedFeed { artifact: FormatArtifactFile; dir: string }

/**
 * The extracted folders of every logged GTFS feed, shared by the built-in GTFS views: each zip is
 * extracted once into the format loader's cache (`<runDir>/.consist/cache/gtfs/<sha256>/`), found
 * again without re-hashing when the artifact's hash is its SHA-256. @internal
 */
export class GtfsFeedDirs {
  private readonly dirs = new Map<string, string>();

  constructor(private readonly finder: FormatArtifactFinder, private readonly cacheDir: string) {}

  /** Every present feed with its extracted folder (extracting the new ones). @throws FormatError for a corrupt zip. */
  async feeds(view: { name: string; hotTable: string }): Promise<ExtractedFeed[]> {
    const out: ExtractedFeed[] = [];
    for (const artifact of await this.finder.find({ drivers: ['gtfs'], notIngestedInto: view.hotTable }, view.name)) {
      out.push({ artifact, dir: await this.dirOf(artifact) });
    }
    return out;
  }

  private async dirOf(a: FormatArtifactFile): Promise<string> {
    const known = this.dirs.get(a.artifactId) ?? (a.hash?.startsWith('sha256:') ? nodePath.join(this.cacheDir, a.hash.slice(7)) : undefined);
    const dir = known && (await pathExists(known)) ? known : await extractGtfs(a.path, this.cacheDir, a.uri);
    this.dirs.set(a.artifactId, dir);
    return dir;
  }
}

/** The feed-relative file of `member` (`stops.txt`, possibly in a sub-folder), or undefined. */
async function memberFile(dir: string, member: string): Promise<string | undefined> {
  const names = (await fs.readdir(dir, { recursive: true })) as string[];
  const hit = names.filter((f) => nodePath.basename(f) === `${member}.txt`).sort()[0];
  return hit === undefined ? undefined : nodePath.join(dir, hit);
}

/** How one CSV text column becomes its declared GTFS type (bad values → NULL, like `GtfsFeed.table`). */
function castColumn(name: string, type: string | undefined): string {
  const col = `data.${quoteIdent(name)}`;
  if (type === undefined || type === 'VARCHAR') return `${col} AS ${quoteIdent(name)}`;
  if (type === 'DATE') return `CAST(try_strptime(${col}, '%Y%m%d') AS DATE) AS ${quoteIdent(name)}`; // GTFS dates are YYYYMMDD
  return `TRY_CAST(${col} AS ${type}) AS ${quoteIdent(name)}`;
}

/** The GTFS CSV dialect (comma, `"` quoting, `""` escapes), named so DuckDB skips sniffing it: ~10× faster to bind. */
const GTFS_CSV = `header = true, all_varchar = true, delim = ',', quote = '"', escape = '"'`;

/**
 * The rows of one GTFS member (`stop_times`) of every logged feed, for a built-in GTFS view: each
 * extracted file read with every column as text (DuckDB's sniffer rejects `25:10:00` as a TIME),
 * the schema's columns cast to their GTFS types; columns the schema does not declare stay text.
 * One SELECT per feed with its provenance as a one-row relation (no per-row join on the file name:
 * feeds are few, files large), combined `UNION ALL BY NAME`. @internal
 */
export class GtfsMemberSource implements ViewSource {
  /** Header columns by extracted file (extracted files are content-addressed: they never change). */
  private readonly headers = new Map<string, string[]>();

  constructor(private readonly db: DbUnits, private readonly feeds: GtfsFeedDirs, private readonly member: string,
    private readonly definition: TableDefinition) {}

  async parts(view: { name: string; hotTable: string }): Promise<string[]> {
    const types = new Map(this.definition.columns.map((c) => [c.name, c.duckType]));
    const parts: string[] = [];
    for (const { artifact, dir } of await this.feeds.feeds(view)) {
      const path = await memberFile(dir, this.member);
      if (!path) continue;
      const src = `read_csv(${quoteLiteral(path)}, ${GTFS_CSV})`;
      const columns = (await this.columnsOf(path, src)).map((c) => castColumn(c, types.get(c)));
      parts.push(fileSelectSql(src, { ...artifact, path }, HYBRID_PART, columns));
    }
    return parts.length ? [unionSql(parts)] : [];
  }

  private async columnsOf(path: string, src: string): Promise<string[]> {
    let columns = this.headers.get(path);
    if (!columns) {
      columns = (await this.db.all(`DESCRIBE SELECT * FROM ${src}`)).map((r) => String(r.column_name));
      this.headers.set(path, columns);
    }
    return columns;
  }
}
