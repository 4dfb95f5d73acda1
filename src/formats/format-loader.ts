import * as nodePath from 'node:path';
import type { DataEngine } from '../engine/data-engine';
import { ArtifactError } from '../errors';
import { extractGtfs, GtfsFeed } from './gtfs/gtfs-feed';
import type { ZipLimits } from './gtfs/zip-extract';
import { H5Store } from './h5/h5-store';
import { OmxFile } from './h5/omx-file';
import { ZarrStore } from './zarr/zarr-store';

/** What `tracker.load` returns for a format driver. */
export type FormatHandle = OmxFile | H5Store | ZarrStore | GtfsFeed;

/**
 * Opens format artifacts as handles (API.md §12). GTFS zips are extracted once into
 * `<runDir>/.consist/cache/gtfs/<sha256 of the zip>/`.
 */
export class FormatLoader {
  constructor(private readonly engine: DataEngine, private readonly runDir: string, private readonly zipLimits?: ZipLimits) {}

  /** Where extracted GTFS feeds are cached. */
  get gtfsCacheDir(): string {
    return nodePath.join(this.runDir, '.consist', 'cache', 'gtfs');
  }

  /** Opens `path` with `driver`; `label` (the URI) names it in errors. */
  async open(path: string, driver: string, label: string): Promise<FormatHandle> {
    if (driver === 'omx') return OmxFile.open(path, label);
    if (driver === 'h5') return H5Store.open(path, label);
    if (driver === 'zarr') return ZarrStore.open(path, label);
    if (driver === 'gtfs') return GtfsFeed.open(await extractGtfs(path, this.gtfsCacheDir, label, this.zipLimits), this.engine, label);
    throw ArtifactError.unsupportedFormat(label, driver, ['omx', 'h5', 'zarr', 'gtfs']);
  }
}
