import { pathExists } from '../util/fs';
import { quoteIdent } from '../provenance/sql';
import { COLD_READERS, coldMetaTableSql, coldSelectSql, META_SCHEMA, type ColdDriver, type ColdFile, type PartOptions } from './view-sql';

/** True for drivers a view reads cold (Parquet, CSV, JSON). */
export const isColdDriver = (driver: string): driver is ColdDriver => Object.prototype.hasOwnProperty.call(COLD_READERS, driver);

/** Splits files into those present on disk and those missing. */
export async function partitionExisting<F extends { path: string }>(files: readonly F[]): Promise<{ present: F[]; missing: F[] }> {
  const flags = await Promise.all(files.map((f) => pathExists(f.path)));
  return { present: files.filter((_, i) => flags[i]), missing: files.filter((_, i) => !flags[i]) };
}

/** One cold part per driver (all Parquet files in one `read_parquet`, all CSV files in one `read_csv_auto`, all JSON files in one `read_json_auto`). */
export function coldParts(files: readonly (ColdFile & { driver: string })[], opts: PartOptions): string[] {
  return byColdDriver(files).map(([driver, group]) => coldSelectSql(group, driver, opts));
}

/** The files of each cold driver that has any, in {@link COLD_READERS} order. */
function byColdDriver<F extends { driver: string }>(files: readonly F[]): [ColdDriver, F[]][] {
  return (Object.keys(COLD_READERS) as ColdDriver[])
    .map((driver): [ColdDriver, F[]] => [driver, files.filter((f) => f.driver === driver)])
    .filter(([, group]) => group.length > 0);
}

/**
 * {@link coldParts} whose metadata relations are tables of {@link META_SCHEMA} named after the view
 * (`<view>__<driver>`), rewritten by the returned `ddl` statements (run them before the view's
 * `CREATE VIEW`, in the same unit). For views rebuilt only when the catalog changes (hybrid views).
 */
export function coldPartsWithMetaTables(view: string, files: readonly (ColdFile & { driver: string })[], opts: PartOptions): { ddl: string[]; parts: string[] } {
  const out = { ddl: [] as string[], parts: [] as string[] };
  for (const [driver, group] of byColdDriver(files)) {
    const table = `${view}__${driver}`;
    out.ddl.push(...coldMetaTableSql(table, group, opts.facets.length));
    out.parts.push(coldSelectSql(group, driver, opts, `${META_SCHEMA}.${quoteIdent(table)}`));
  }
  return out;
}
