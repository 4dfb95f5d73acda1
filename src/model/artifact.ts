/** How an artifact's bytes are read. Inferred from the file extension unless given. */
export type ArtifactDriver = 'csv' | 'parquet' | 'json' | 'arrow' | 'file' | 'dir' | (string & {});

/** Whether a run read or wrote an artifact. */
export type ArtifactDirection = 'input' | 'output';

/**
 * An immutable, content-addressed file or table a run read or wrote. `uri` is portable
 * (`inputs://…`, `run://<runId>/…`, or absolute); `path` is where it is on this machine now.
 */
export interface Artifact {
  id: string;
  key: string;
  uri: string;
  /** Absolute local path resolved through the current tracker's mounts (not stored). */
  path: string;
  driver: ArtifactDriver;
  /** `sha256:<hex>` (full hashing) or `fast:<hex>` (size + mtime); null when unknown. */
  hash: string | null;
  size: number | null;
  /** The run that produced it; null for raw inputs. */
  runId: string | null;
  schemaId: string | null;
  meta: Record<string, unknown>;
  createdAt: string;
}

/** An artifact as linked to one run. */
export interface ArtifactLink {
  artifactId: string;
  key: string;
  direction: ArtifactDirection;
}
