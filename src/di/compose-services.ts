import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactLoader } from '../artifacts/loader';
import { FacetParsers } from '../artifacts/facet-parsers';
import { UriResolver } from '../artifacts/uri';
import { SqlArtifactRepository } from '../provenance/artifact-repository';
import { DataEngine } from '../engine/data-engine';
import { Database } from '../provenance/database';
import { Indexer } from '../journal/indexer';
import { DrainedDatabase } from '../journal/read-barrier';
import { RunIndex } from '../journal/run-index';
import { SqlRunRepository } from '../provenance/run-repository';
import { ConnectionExecutor } from '../provenance/executor';
import { ProducedIndex } from '../journal/produced-index';
import { backfillRunIndex, needsBackfill } from '../recording/index-backfill';
import { SnapshotRunLookup } from '../journal/snapshot-run-lookup';
import { SnapshotStore } from '../journal/snapshot-store';
import { RunLifecycle } from '../recording/run-lifecycle';
import { RunQueries } from '../recording/run-queries';
import { RunRecorder } from '../recording/run-recorder';
import { RunNames } from '../recording/run-names';
import { OpenLineageEmitter } from '../recording/openlineage-emitter';
import { resolveTrackerOptions, type TrackerOptions } from '../recording/tracker-options';
import { consoleLogger, type Logger } from '../util/logger';
import { FilesystemError } from '../errors';
import type { TrackerServices } from './tracker-services';
import { FsCacheIndex } from '../cache/fs-cache-index';
import { Hydrator } from '../cache/hydration';
import { InputResolver } from '../runtime/input-resolver';
import { StepRunner } from '../runtime/step-runner';
import { SingleFlight } from '../cache/single-flight';
import { ScenarioRunner } from '../runtime/scenario-runner';
import { composeDataPlane } from './data-plane';
import { mapStepsScoped, type MapDeps } from '../sweeps/map-service';
import { classInvoker } from '../runtime/step-invoker';

/**
 * The recorder and the one {@link Indexer} that drains the journal into DuckDB (none in a read-only or a
 * journal-only tracker: a later normal tracker re-syncs the pending snapshots at open). The write
 * path (snapshot, pending marker, on-disk index entries) is the same in every mode; the lock mode
 * only sets the indexer's policy (see `Indexer`).
 */
function composeRecorder(db: Database, snapshots: SnapshotStore, index: RunIndex, logger: Logger): { recorder: RunRecorder; indexer?: Indexer } {
  if (db.journalOnly || db.readOnly) return { recorder: new RunRecorder(snapshots, { index }) }; // read-only: nothing to write
  const indexer = new Indexer(db, { snapshots, index }, logger);
  return { recorder: new RunRecorder(snapshots, { index, indexer }), indexer };
}

/** Re-syncs what the DB missed and completes the on-disk index of older runs folders (not journal-only). */
async function catchUp(db: Database, recorder: RunRecorder, index: RunIndex, logger: Logger): Promise<void> {
  if (db.journalOnly || db.readOnly) return;
  try {
    const synced = await recorder.resyncPending();
    if (synced) logger.info(`Re-synced ${synced} snapshot(s) the database had missed.`);
    const indexed = (await needsBackfill(index)) ? await db.withConnection((conn) => backfillRunIndex(new ConnectionExecutor(conn), index)) : 0;
    if (indexed) logger.info(`Indexed ${indexed} earlier run(s) on disk for database-free lookups.`);
  } catch (err) {
    await db.close();
    throw err;
  }
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
  try {
    if (!resolved.readOnly) fs.mkdirSync(resolved.runDir, { recursive: true });
  } catch (err) {
    throw FilesystemError.from('create the runs folder', resolved.runDir, err);
  }
  const db = resolved.journalOnly ? Database.detached(resolved.dbPath)
    : await Database.open(resolved.dbPath, { lockMode: resolved.lockMode, lockTimeoutMs: resolved.lockTimeoutMs, readOnly: resolved.readOnly });
  const engine = new DataEngine(resolved.parquetCompression, resolved.onProgress ?? undefined);
  const snapshots = new SnapshotStore(resolved.runDir, resolved.readOnly);
  const index = new RunIndex(snapshots.runDir);
  const { recorder, indexer } = composeRecorder(db, snapshots, index, logger);
  const reader = new DrainedDatabase(db, indexer); // every DB read drains the journal first (read-your-writes)
  const runs = new SqlRunRepository(reader);
  const artifactRows = new SqlArtifactRepository(reader);
  const artifacts = new ArtifactStore(uris, resolved.hashing, new ProducedIndex(index, snapshots), logger);
  artifacts.useFacetParsers(new FacetParsers(resolved.artifactFacetParsers, logger));
  if (resolved.onProgress) artifacts.useProgress(resolved.onProgress);
  const loader = new ArtifactLoader(engine, resolved.runDir);
  if (resolved.openLineage) {
    const emitter = new OpenLineageEmitter(resolved.openLineage, logger);
    recorder.observe((snap) => emitter.onSnapshot(snap));
  }
  const cache = new FsCacheIndex(index, snapshots, artifacts);
  const lookup = new SnapshotRunLookup(snapshots);
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
  const mapDeps: MapDeps = { runner: stepRunner, recorder, snapshots, artifacts, queries, settings: resolved, lockMode: db.lockMode, logger,
    invoker: (def) => classInvoker(def, container, loader) };
  const scenarioRunner = new ScenarioRunner({ runner: stepRunner, container, loader, artifacts, recorder, lifecycle, logger,
    map: (step, items, options, scope) => mapStepsScoped(mapDeps, step, items, { options, scope }) });
  await catchUp(db, recorder, index, logger);
  return { options: resolved, logger, container, db, reader, engine, snapshots, recorder, runs, artifactRows, artifacts, loader, lifecycle, queries, cache, stepRunner, scenarioRunner, mapDeps,
    dataPlane: composeDataPlane({ db: reader, engine, runs, artifactRows, artifacts, loader, logger, schemas: resolved.schemas, runDir: resolved.runDir,
      onProgress: resolved.onProgress ?? undefined }) };
}
