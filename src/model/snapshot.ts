import type { Artifact, ArtifactDirection } from './artifact';
import type { Run } from './run';

/** Version of the snapshot format written to `consist.json`. */
export const SNAPSHOT_VERSION = 1;

/** A stored artifact: {@link Artifact} without the machine-local `path`. */
export type ArtifactRecordJson = Omit<Artifact, 'path'>;

/** One artifact as read or written by the run the snapshot describes. */
export interface SnapshotArtifact {
  direction: ArtifactDirection;
  /** The key under which this run used the artifact (may differ from the artifact's own key). */
  key: string;
  artifact: ArtifactRecordJson;
}

/** The full JSON record of one run: everything needed to rebuild its DB rows. */
export interface RunSnapshot {
  version: number;
  run: Run;
  artifacts: SnapshotArtifact[];
}
