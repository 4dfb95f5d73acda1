import { pathExists } from '../util/fs';
import { COLD_READERS, coldSelectSql, type ColdDriver, type ColdFile, type PartOptions } from './view-sql';

/** True for drivers a view reads cold (Parquet, CSV, JSON). */
export const isColdDriver = (driver: string): driver is ColdDriver => Object.prototype.hasOwnProperty.call(COLD_READERS, driver);

/** Splits files into those present on disk and those missing. */
export async function partitionExisting<F extends { path: string }>(files: readonly F[]): Promise<{ present: F[]; missing: F[] }> {
  const flags = await Promise.all(files.map((f) => pathExists(f.path)));
  return { present: files.filter((_, i) => flags[i]), missing: files.filter((_, i) => !flags[i]) };
}

/** One cold part per driver (all Parquet files in one `read_parquet`, all CSV files in one `read_csv_auto`, all JSON files in one `read_json_auto`). */
export function coldParts(files: readonly (ColdFile & { driver: string })[], opts: PartOptions): string[] {
  const parts: string[] = [];
  for (const driver of Object.keys(COLD_READERS) as ColdDriver[]) {
    const group = files.filter((f) => f.driver === driver);
    if (group.length) parts.push(coldSelectSql(group, driver, opts));
  }
  return parts;
}
