import type { DependencyContainer } from 'tsyringe';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { ArtifactRepository } from '../store/artifact-repository';
import type { DataEngine } from '../store/data-engine';
import type { Database } from '../store/database';
import type { RunRepository } from '../store/run-repository';
import type { SnapshotStore } from '../store/snapshot-store';
import type { Logger } from '../util/logger';
import type { RunLifecycle } from '../tracker/run-lifecycle';
import type { RunQueries } from '../tracker/run-queries';
import type { RunRecorder } from '../tracker/run-recorder';
import type { ResolvedTrackerOptions } from '../tracker/tracker-options';
import type { StepRunner } from '../runtime/step-runner';
import type { ScenarioRunner } from '../runtime/scenario-runner';
import type { CacheIndex } from '../cache/cache-index';
import type { DataPlaneServices } from './data-plane';

/** The services a {@link Tracker} is a facade over; built by `registerConsist`. @internal */
export interface TrackerServices {
  options: ResolvedTrackerOptions;
  logger: Logger;
  container: DependencyContainer;
  db: Database;
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
  dataPlane: DataPlaneServices;
}
