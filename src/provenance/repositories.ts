import type { Artifact, ArtifactDirection, Run } from '../model';
import type { RunFilter } from './run-filter';

/**
 * The provenance store's read ports: the seam a second store (e.g. PostgreSQL) would implement.
 * Upper layers (recording, cache, materialize, di) depend on these interfaces only; the DuckDB
 * implementations are `SqlRunRepository` and `SqlArtifactRepository`, named only by the
 * composition root. Writes are not part of the ports: every row derives from a run snapshot
 * (the journal), folded in by the snapshot sync.
 */

/** An artifact record as stored (no machine-local path). */
export type StoredArtifact = Omit<Artifact, 'path'>;

/** An artifact record (no local path) with the key and direction of one run's link. */
export interface LinkedArtifactRecord { artifact: StoredArtifact; key: string; direction: ArtifactDirection }

/** Finds one run by id: the narrow port of the step path (producer signatures, id-free checks). */
export interface RunLookup {
  get(id: string): Promise<Run | undefined>;
}

/** Reads of recorded runs. */
export interface RunRepository extends RunLookup {
  /** Matching runs, newest first (`startedAt`, then id, descending); at most `filter.limit`. */
  find(filter?: RunFilter): Promise<Run[]>;
}

/** Reads of recorded artifacts and their links to runs. */
export interface ArtifactRepository {
  get(id: string): Promise<StoredArtifact | undefined>;
  /** Every artifact a run read or wrote, with the link's key and direction. */
  forRun(runId: string): Promise<LinkedArtifactRecord[]>;
  /** uri → the newest artifact a completed run produced there. */
  latestProducedAtMany(uris: readonly string[]): Promise<Map<string, StoredArtifact>>;
  /** Artifacts with this key, newest first. */
  byKey(key: string): Promise<StoredArtifact[]>;
  /** Artifacts with this content hash, newest first (to restore a missing input from a copy). */
  byHash(hash: string): Promise<StoredArtifact[]>;
  /** Runs that read this artifact (for lineage and doctor). */
  consumers(artifactId: string): Promise<string[]>;
}
