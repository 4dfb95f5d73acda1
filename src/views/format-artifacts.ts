import type { DbUnits } from '../provenance/database';
import type { Logger } from '../util/logger';
import { partitionExisting } from './cold-files';
import type { ColdFile } from './view-sql';

/** A logged format artifact (GTFS zip, OMX, HDF5) a view reads through a derived file. */
export interface FormatArtifactFile extends ColdFile {
  uri: string;
  driver: string;
  /** The artifact's content hash (`sha256:…`, `hdf5:…`, or a fast size+mtime id). */
  hash: string | null;
}

/** Which format artifacts a view covers. */
export interface FormatArtifactFilter {
  drivers: readonly string[];
  /** Only artifacts logged under this key (default: every key). */
  key?: string;
  /** Leave out artifacts ingested into this hot table (a hybrid view reads them from it). */
  notIngestedInto: string;
}

/**
 * Finds the logged format artifacts a view covers, with the provenance of each (run, year,
 * iteration, scenario: of the run that produced it, else — an input such as a skim file or a GTFS
 * feed — of the first run that logged it; each artifact's rows appear once), oldest first; files that are gone are skipped with one warning each (like a
 * view's cold files). @internal
 */
export class FormatArtifactFinder {
  private readonly warned = new Set<string>();

  constructor(private readonly db: DbUnits, private readonly toPath: (uri: string) => string, private readonly logger: Logger) {}

  /** The present artifacts matching `filter`; `view` names the view in the missing-file warning. */
  async find(filter: FormatArtifactFilter, view: string): Promise<FormatArtifactFile[]> {
    const drivers = filter.drivers.map(() => '?').join(', ');
    const rows = await this.db.all(
      `SELECT a.id, a.uri, a.driver, a.hash, r.id AS run_id, r.year, r.iteration, r.parent_run_id
       FROM artifact AS a LEFT JOIN run AS r ON r.id = COALESCE(a.run_id, (SELECT l.run_id FROM run_artifact_link AS l
         JOIN run AS lr ON lr.id = l.run_id WHERE l.artifact_id = a.id ORDER BY lr.started_at, lr.id LIMIT 1))
       WHERE a.driver IN (${drivers}) ${filter.key === undefined ? '' : 'AND a.key = ?'}
         AND a.id NOT IN (SELECT artifact_id FROM ingestion WHERE table_name = ?)
       ORDER BY a.created_at, a.id`, [...filter.drivers, ...(filter.key === undefined ? [] : [filter.key]), filter.notIngestedInto]);
    const files = rows.map((r): FormatArtifactFile => ({
      artifactId: String(r.id), uri: String(r.uri), driver: String(r.driver), hash: r.hash === null ? null : String(r.hash),
      path: this.toPath(String(r.uri)), runId: r.run_id as string | null,
      year: r.year === null || r.year === undefined ? null : Number(r.year),
      iteration: r.iteration === null || r.iteration === undefined ? null : Number(r.iteration),
      scenarioId: (r.parent_run_id ?? null) as string | null,
    }));
    const { present, missing } = await partitionExisting(files);
    for (const f of missing) {
      if (this.warned.has(f.path)) continue;
      this.warned.add(f.path);
      this.logger.warn(`View '${view}': skipping missing file ${f.path} (artifact ${f.artifactId}).`);
    }
    return present;
  }
}
