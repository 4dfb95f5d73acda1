import * as nodePath from 'node:path';
import type { DataEngine } from '../engine/data-engine';
import type { FormatLoader } from '../formats/format-loader';
import { gtfsMemberOf } from '../formats/gtfs/gtfs-schemas';
import type { TableDefinition } from '../metadata/compile-table';
import type { DbUnits } from '../provenance/database';
import type { Logger } from '../util/logger';
import { FormatArtifactFinder } from './format-artifacts';
import { GtfsFeedDirs, GtfsMemberSource } from './gtfs-view-source';
import type { ViewSource } from './hybrid-view';
import { MemberViewSource, type MemberViewOptions } from './member-view-source';

/** What {@link ViewSources} reads and writes through. @internal */
export interface ViewSourceDeps {
  db: DbUnits;
  toPath: (uri: string) => string;
  logger: Logger;
  formats: FormatLoader;
  engine: DataEngine;
  /** The runs folder: materialised members are cached in `<runDir>/.consist/cache/tables/`. */
  runDir: string;
}

/**
 * The parts of views that come from format artifacts (API.md §12): the built-in GTFS schemas read
 * every logged feed's member files; `createView(name, key, options)` reads OMX / pandas-HDF5
 * artifacts of that key through cached Parquet. @internal
 */
export class ViewSources {
  private readonly finder: FormatArtifactFinder;
  private readonly gtfs: GtfsFeedDirs;

  constructor(private readonly deps: ViewSourceDeps) {
    this.finder = new FormatArtifactFinder(deps.db, deps.toPath, deps.logger);
    this.gtfs = new GtfsFeedDirs(this.finder, deps.formats.gtfsCacheDir);
  }

  /** The source of a schema class's view: a GTFS member for the built-in GTFS schemas, else none. */
  forSchema(schema: Function, definition: TableDefinition): ViewSource | undefined {
    const member = gtfsMemberOf(schema);
    return member === undefined ? undefined : new GtfsMemberSource(this.deps.db, this.gtfs, member, definition);
  }

  /** The OMX / pandas-HDF5 artifacts logged under `key`, as rows of a key view. */
  forKey(key: string, options?: MemberViewOptions): ViewSource {
    const { formats, engine, runDir } = this.deps;
    return new MemberViewSource({ finder: this.finder, formats, engine, cacheDir: nodePath.join(runDir, '.consist', 'cache', 'tables') }, key, options);
  }
}
