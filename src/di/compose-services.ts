import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactLoader } from '../artifacts/loader';
import { FacetParsers } from '../artifacts/facet-parsers';
import { UriResolver } from '../artifacts/uri';
import { ArtifactRepository } from '../provenance/artifact-repository';
import { DataEngine } from '../engine/data-engine';
import { Database } from '../provenance/database';
import { GroupCommit } from '../journal/group-commit';
import { ProducedAtCache } from '../provenance/produced-at-cache';
import { WriteBehind } from '../journal/write-behind';
import { PendingSync } from '../journal/pending-sync';
import { RunIndex } from '../journal/run-index';
import { RunRepository, type RunLookup } from '../provenance/run-repository';
import { SnapshotRunLookup } from '../journal/snapshot-run-lookup';
import { SnapshotStore } from '../journal/snapshot-store';
import { RunLifecycle } from '../recording/run-lifecycle';
import { RunQueries } from '../recording/run-queries';
import { RunRecorder } from '../recording/run-recorder';
import { RunNames } from '../recording/run-names';
import { OpenLineageEmitter } from '../recording/openlineage-emitter';
import { resolveTrackerOptions, type TrackerOptions } from '../recording/tracker-options';
import { consoleLogger, type Logger } from '../util/logger';
import type { TrackerServices } from './tracker-services';
import { DbCacheIndex, type CacheIndex } from '../cache/cache-index';
import { FsCacheIndex } from '../cache/fs-cache-index';
import { LayeredCacheIndex } from '../cache/layered-cache-index';
import { Hydrator } from '../cache/hydration';
import { InputResolver } from '../runtime/input-resolver';
import { StepRunner } from '../runtime/step-runner';
import { SingleFlight } from '../cache/single-flight';
import { ScenarioRunner } from '../runtime/scenario-runner';
import { composeDataPlane } from './data-plane';
import { mapSteps } from '../sweeps/map-service';
import { classInvoker } from '../runtime/step-invoker';

/** The recording and lookup strategies of one lock mode. */
interface Persistence { recorder: RunRecorder; cache: CacheIndex; lookup: RunLookup }

/**
 * Picks the strategies by lock mode. `exclusive`: every persist written behind (committed, many
 * per transaction, by the next DB unit's prelude or a 50 ms debounce capped at 1 s), cache lookups on the on-disk
 * run index with SQL as fallback, input auto-links through an in-process cache, run lookups in SQL. `shared`: the DB leaves the step path — lookups read the on-disk run
 * index and snapshots, persists schedule a {@link GroupCommit}, and every DB unit first commits
 * all pending snapshots (the unit prelude), so this process's queries see its own runs.
 */
function composePersistence(db: Database, snapshots: SnapshotStore, runs: RunRepository, artifactRows: ArtifactRepository,
  artifacts: ArtifactStore, logger: Logger, producedAt?: ProducedAtCache): Persistence {
  const index = new RunIndex(snapshots.runDir);
  const pending = new PendingSync(snapshots, index, logger);
  if (db.lockMode !== 'shared') {
    const writeBehind = new WriteBehind(db, snapshots, logger, { onAdd: (snap) => producedAt?.note(snap) });
    db.setUnitPrelude((conn) => writeBehind.commitOn(conn));
    return { recorder: new RunRecorder(snapshots, db, logger, { index, pending, writeBehind }),
      cache: new LayeredCacheIndex(new FsCacheIndex(index, snapshots, artifacts), new DbCacheIndex(runs, artifactRows, artifacts)),
      lookup: runs };
  }
  db.setUnitPrelude(async (conn) => {
    await pending.syncOn(conn).catch((err: Error) => logger.warn(`Group commit failed: ${err.message.split('\n')[0]}`));
  });
  const groupCommit = new GroupCommit(db, pending, logger);
  return { recorder: new RunRecorder(snapshots, db, logger, { index, pending, groupCommit }),
    cache: new FsCacheIndex(index, snapshots, artifacts), lookup: new SnapshotRunLookup(snapshots) };
}

/**
 * The composition root: the only place that names concrete service classes. Validates options
 * before any side effect, opens the DB (waiting for another process's lock), re-syncs snapshots
 * the DB missed, and wires the services.
 * @internal
 */
export async function composeServices(options: TrackerOptions, container: DependencyContainer): Promise<TrackerServices> {
  const resolved = resolveTrackerOptions(options);
  const logger = options.logger ?? consoleLogger;
  const uris = new UriResolver(resolved.runDir, resolved.mounts);
  fs.mkdirSync(resolved.runDir, { recursive: true });
  const db = await Database.open(resolved.dbPath, { lockMode: resolved.lockMode, lockTimeoutMs: resolved.lockTimeoutMs });
  const engine = new DataEngine(resolved.parquetCompression);
  const snapshots = new SnapshotStore(resolved.runDir);
  const runs = new RunRepository(db);
  const artifactRows = new ArtifactRepository(db);
  const producedAt = db.lockMode === 'shared' ? undefined : new ProducedAtCache(db);
  const artifacts = new ArtifactStore(uris, resolved.hashing, artifactRows, logger, producedAt);
  artifacts.useFacetParsers(new FacetParsers(resolved.artifactFacetParsers, logger));
  const loader = new ArtifactLoader(engine, resolved.runDir);
  const { recorder, cache, lookup } = composePersistence(db, snapshots, runs, artifactRows, artifacts, logger, producedAt);
  if (resolved.openLineage) {
    const emitter = new OpenLineageEmitter(resolved.openLineage, logger);
    recorder.observe((snap) => emitter.onSnapshot(snap));
  }
  const names = new RunNames(lookup, snapshots);
  const lifecycle = new RunLifecycle(recorder, artifacts, logger, names);
  const queries = new RunQueries(runs, artifactRows, artifacts, names);
  const stepRunner = new StepRunner({
    settings: { hashing: resolved.hashing, codeIdentity: resolved.codeIdentity, projectRoot: resolved.projectRoot,
      cacheEpoch: resolved.cacheEpoch, runDir: resolved.runDir },
    artifacts, engine, runs: lookup, recorder, lifecycle, cache, hydrator: new Hydrator(artifactRows, artifacts, logger),
    inputs: new InputResolver(artifacts), logger,
    singleFlight: new SingleFlight(path.join(resolved.runDir, '.consist', 'leases')),
  });
  const mapDeps = { runner: stepRunner, recorder, queries, settings: resolved, lockMode: db.lockMode, logger,
    invoker: (def: Parameters<typeof classInvoker>[0]) => classInvoker(def, container, loader) };
  const scenarioRunner = new ScenarioRunner({ runner: stepRunner, container, loader, artifacts, recorder, lifecycle, logger,
    map: (step, items, options, scope) => mapSteps(mapDeps, step, items, options, scope) });
  try {
    const synced = await recorder.resyncPending();
    if (synced) logger.info(`Re-synced ${synced} snapshot(s) the database had missed.`);
  } catch (err) {
    await db.close();
    throw err;
  }
  return { options: resolved, logger, container, db, engine, snapshots, recorder, runs, artifactRows, artifacts, loader, lifecycle, queries, cache, stepRunner, scenarioRunner,
    dataPlane: composeDataPlane({ db, engine, runs, artifactRows, artifacts, loader, logger, schemas: resolved.schemas, runDir: resolved.runDir }) };
}
