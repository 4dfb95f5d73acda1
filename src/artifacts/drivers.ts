import type { ArtifactDriver } from '../model';

const BY_SUFFIX: ReadonlyArray<[RegExp, ArtifactDriver]> = [
  [/\.(csv|tsv)(\.gz)?$/i, 'csv'],
  [/\.(parquet|pq)$/i, 'parquet'],
  [/\.(json|jsonl|ndjson)(\.gz)?$/i, 'json'],
  [/\.(arrow|feather|ipc)$/i, 'arrow'],
];

/** Drivers {@link inferDriver} can return for files that `load` reads into Arrow. */
export const TABULAR_DRIVERS: readonly ArtifactDriver[] = ['csv', 'parquet', 'json', 'arrow'];

/** The driver for a path from its extension (`.gz` variants included); `file` when unknown. */
export function inferDriver(file: string, isDirectory = false): ArtifactDriver {
  if (isDirectory) return 'dir';
  for (const [re, driver] of BY_SUFFIX) if (re.test(file)) return driver;
  return 'file';
}
