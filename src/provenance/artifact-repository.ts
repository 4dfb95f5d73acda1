import type { Artifact, ArtifactDirection } from '../model';
import type { SqlExecutor } from './executor';
import type { ArtifactRepository, LinkedArtifactRecord, StoredArtifact } from './repositories';
import { rowToArtifact } from './row-mapping';

export type { ArtifactRepository, LinkedArtifactRecord } from './repositories';

type ArtifactRow = StoredArtifact;

/** {@link ArtifactRepository} over DuckDB's `artifact` and `run_artifact_link`. Writes go through {@link syncSnapshot}. */
export class SqlArtifactRepository implements ArtifactRepository {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<Omit<Artifact, 'path'> | undefined> {
    const rows = await this.db.all('SELECT * FROM artifact WHERE id = ?', [id]);
    return rows[0] ? rowToArtifact(rows[0]) : undefined;
  }

  /** Artifacts linked to a run, with the key and direction of each link. */
  async forRun(runId: string): Promise<LinkedArtifactRecord[]> {
    const rows = await this.db.all(
      `SELECT a.*, l.key AS link_key, l.direction AS link_direction FROM run_artifact_link l
       JOIN artifact a ON a.id = l.artifact_id WHERE l.run_id = ? ORDER BY l.direction, l.key`, [runId]);
    return rows.map((r) => ({ artifact: rowToArtifact(r), key: String(r.link_key), direction: r.link_direction as ArtifactDirection }));
  }

  /** For each URI, the newest artifact a completed run produced there (input auto-linking), in one query. */
  async latestProducedAtMany(uris: readonly string[]): Promise<Map<string, ArtifactRow>> {
    const out = new Map<string, ArtifactRow>();
    if (!uris.length) return out;
    const rows = await this.db.all(
      `SELECT a.* FROM artifact a JOIN run r ON r.id = a.run_id
       WHERE a.uri IN (${uris.map(() => '?').join(', ')}) AND r.status = 'completed'
       QUALIFY row_number() OVER (PARTITION BY a.uri ORDER BY a.created_at DESC, a.id DESC) = 1`, uris);
    for (const row of rows) out.set(String(row.uri), rowToArtifact(row));
    return out;
  }

  /** Artifacts with this key, newest first. */
  async byKey(key: string): Promise<Omit<Artifact, 'path'>[]> {
    const rows = await this.db.all('SELECT * FROM artifact WHERE key = ? ORDER BY created_at DESC, id DESC', [key]);
    return rows.map(rowToArtifact);
  }

  /** Artifacts with this content hash, newest first (to restore a missing input from a copy). */
  async byHash(hash: string): Promise<Omit<Artifact, 'path'>[]> {
    const rows = await this.db.all('SELECT * FROM artifact WHERE hash = ? ORDER BY created_at DESC, id DESC LIMIT 50', [hash]);
    return rows.map(rowToArtifact);
  }

  /** Runs that read this artifact (for lineage and doctor). */
  async consumers(artifactId: string): Promise<string[]> {
    const rows = await this.db.all<{ run_id: string }>(
      `SELECT run_id FROM run_artifact_link WHERE artifact_id = ? AND direction = 'input'`, [artifactId]);
    return rows.map((r) => r.run_id);
  }
}
