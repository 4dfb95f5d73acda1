import { promises as fs } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { ArtifactError } from '../errors';
import type { Artifact } from '../model';
import { readFileToArrow } from '../engine/arrow-bridge';
import type { DataEngine } from '../engine/data-engine';
import { TABULAR_DRIVERS } from './drivers';
import { statReadable } from './file-kind';

/** Reads tabular artifacts (CSV, Parquet, JSON, Arrow IPC) into Arrow tables. */
export class ArtifactLoader {
  constructor(private readonly engine: DataEngine) {}

  /** Loads the artifact's file; `ARTIFACT_NOT_FOUND` when it is gone, `ARTIFACT_LOAD_FAILED` when corrupt. */
  async load(artifact: Pick<Artifact, 'uri' | 'path' | 'driver'>): Promise<Table> {
    const { driver, path } = artifact;
    if (!TABULAR_DRIVERS.includes(driver)) throw ArtifactError.unsupportedFormat(artifact.uri, driver, TABULAR_DRIVERS);
    const stat = await statReadable(path, artifact.uri);
    if (!stat) throw ArtifactError.notFound(artifact.uri, 'The file was moved or deleted; re-run its producer or fix the mounts.');
    if (driver === 'arrow') {
      try {
        return tableFromIPC(await fs.readFile(path));
      } catch (err) {
        throw ArtifactError.loadFailed(artifact.uri, err);
      }
    }
    return this.engine.use((conn) => readFileToArrow(conn, path, driver as 'csv' | 'parquet' | 'json'));
  }
}
