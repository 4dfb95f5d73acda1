import { promises as fs } from 'node:fs';
import type { Table } from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { ArtifactError } from '../errors';
import type { Artifact } from '../model';
import { readFileToArrow } from '../engine/arrow-bridge';
import type { DataEngine } from '../engine/data-engine';
import { TABULAR_DRIVERS } from './drivers';
import { readGeoJson } from '../formats/geojson';
import { statReadable } from './file-kind';
import { FormatLoader, type FormatHandle } from '../formats';

/**
 * Reads tabular artifacts (CSV, Parquet, JSON, Arrow IPC, GeoParquet, GeoJSON) into Arrow tables,
 * and opens OMX/HDF5/Zarr/GTFS artifacts as format handles ({@link loadFormat}).
 */
export class ArtifactLoader {
  /** Opens the transport-model formats; GTFS feeds are cached under the runs folder. */
  readonly formats: FormatLoader;

  constructor(private readonly engine: DataEngine, runDir = '.') {
    this.formats = new FormatLoader(engine, runDir);
  }

  /** Opens an OMX/HDF5/Zarr/GTFS artifact as its handle; `ARTIFACT_NOT_FOUND` when the file is gone. */
  async loadFormat(artifact: Pick<Artifact, 'uri' | 'path' | 'driver'>): Promise<FormatHandle> {
    const stat = await statReadable(artifact.path, artifact.uri);
    if (!stat) throw ArtifactError.notFound(artifact.uri, 'The file was moved or deleted; re-run its producer or fix the mounts.');
    return this.formats.open(artifact.path, artifact.driver, artifact.uri);
  }

  /** Loads the artifact's file; `ARTIFACT_NOT_FOUND` when it is gone, `ARTIFACT_LOAD_FAILED` when corrupt. */
  async load(artifact: Pick<Artifact, 'uri' | 'path' | 'driver'>): Promise<Table> {
    const { path } = artifact;
    const driver = artifact.driver === 'geoparquet' ? 'parquet' : artifact.driver;
    if (driver === 'geojson') return this.loadGeoJson(artifact);
    if (!TABULAR_DRIVERS.includes(driver)) throw ArtifactError.unsupportedFormat(artifact.uri, driver, TABULAR_DRIVERS);
    const stat = await statReadable(path, artifact.uri);
    if (!stat) throw ArtifactError.notFound(artifact.uri, 'The file was moved or deleted; re-run its producer or fix the mounts.');
    if (driver === 'arrow') {
      try {
        return Arrow.tableFromIPC(await fs.readFile(path));
      } catch (err) {
        throw ArtifactError.loadFailed(artifact.uri, err);
      }
    }
    return this.engine.use((conn) => readFileToArrow(conn, path, driver as 'csv' | 'parquet' | 'json'));
  }

  /** A GeoJSON FeatureCollection: one row per feature, its properties as columns, `geometry` as GeoJSON text. */
  private async loadGeoJson(artifact: Pick<Artifact, 'uri' | 'path'>): Promise<Table> {
    const stat = await statReadable(artifact.path, artifact.uri);
    if (!stat) throw ArtifactError.notFound(artifact.uri);
    return readGeoJson(artifact.path, artifact.uri);
  }
}
