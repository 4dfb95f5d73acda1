import type { MapDeps } from '../sweeps/map-service';
import type { DependencyContainer } from 'tsyringe';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { DataEngine } from '../engine/data-engine';
import type { Database, DbUnits } from '../provenance/database';
import type { RunRepository } from '../provenance/run-repository';
import type { SnapshotStore } from '../journal/snapshot-store';
import type { Logger } from '../util/logger';
import type { RunLifecycle } from '../recording/run-lifecycle';
import type { RunQueries } from '../recording/run-queries';
import type { RunRecorder } from '../recording/run-recorder';
import type { ResolvedTrackerOptions } from '../recording/tracker-options';
import type { StepRunner } from '../runtime/step-runner';
import type { ScenarioRunner } from '../runtime/scenario-runner';
import type { CacheIndex } from '../cache/cache-index';
import type { DataPlaneServices } from './data-plane';

/** The services a {@link Tracker} is a facade over; built by `registerConsist`. @internal */
export interface TrackerServices {
  options: ResolvedTrackerOptions;
  logger: Logger;
  container: DependencyContainer;
  /** The raw database: the indexer commits on it; `close()` releases it. */
  db: Database;
  /** The database as readers see it: every unit first drains the journal (the read barrier). */
  reader: DbUnits;
  engine: DataEngine;
  snapshots: SnapshotStore;
  recorder: RunRecorder;
  runs: RunRepository;
  artifactRows: ArtifactRepository;
  artifacts: ArtifactStore;
  loader: ArtifactLoader;
  lifecycle: RunLifecycle;
  queries: RunQueries;
  cache: CacheIndex;
  stepRunner: StepRunner;
  scenarioRunner: ScenarioRunner;
  /** What `tracker.map` / `sc.map` run on (one object for both). */
  mapDeps: MapDeps;
  dataPlane: DataPlaneServices;
}
