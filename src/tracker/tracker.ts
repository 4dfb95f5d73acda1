import type { Table } from 'apache-arrow';
import { container as rootContainer } from 'tsyringe';
import type { LogArtifactOptions } from '../artifacts/artifact-store';
import { composeServices } from '../di/compose-services';
import type { TrackerServices } from '../di/tracker-services';
import type { Artifact, Run } from '../model';
import type { StartRunOptions } from '../recording/run-lifecycle';
import { assertRunFilter, type FindRunsOptions, type LineageNode, type RunArtifacts } from '../recording/run-queries';
import type { TrackerOptions } from '../recording/tracker-options';
import type { CacheMissExplanation } from '../cache/miss-explanation';
import { copyOutputs, selectOutputs, type HydrateRunOutputsOptions } from '../cache/output-layout';
import { ConfigurationError, MetadataError, RunError, RunNotFoundError } from '../errors';
import { assertLogArtifactArgs } from '../artifacts/log-options';
import { isHandleDriver, type BuiltinSchemaSet, type WithBuiltinSchemas } from '../formats';
import type { MemberViewOptions } from '../views/member-view-source';
import { getScenarioMetadata, type ScenarioOptions } from '../metadata/scenario-metadata';
import type { ScenarioBase } from '../runtime/scenario-base';
import type { ScenarioContext } from '../runtime/scenario-context';
import type { ScenarioResult } from '../runtime/scenario-runner';
import { compileStep } from '../metadata/compile-step';
import type { Constructor } from '../metadata/registry';
import type { FunctionStepOptions, RunResult, RunStepOptions, StepConfig, StepOutputs } from '../runtime/run-step-options';
import type { StepBase } from '../runtime/step-base';
import { classInvoker } from '../runtime/step-invoker';
import { functionStep } from '../runtime/function-step';
import { commandStep, type RunCommandOptions } from '../runtime/command-step';
import {
  containerStep, executorStep, type ExecutorStepOptions, isExecutorStep, type RunContainerOptions,
} from '../runtime/container-step';
import type { Kysely } from 'kysely';
import type { DbFallback, IngestOptions, IngestResult } from '../materialize/materializer';
import type { ExportSchemaOptions } from '../materialize/schema-export';
import type { GroupedViewOptions } from '../views/grouped-options';
import type { PivotFacetsOptions } from '../views/pivot-facets';
import type { FacetPivotView } from '../views/facet-pivot-view';
import type { ProvenanceTables } from '../views/provenance-tables';
import type { View } from '../views/view';
import type { ViewsOf } from '../views/view-factory';
import { QueryHelpers } from '../recording/query-helpers';
import type { ArtifactLookup, FindArtifactsOptions } from '../recording/artifact-lookup';
import type { DiffRunsOptions, RunDiff } from '../recording/run-diff';
import { mapSteps, type MapItemResult } from '../sweeps/map-service';
import type { MapOptions } from '../sweeps/map-options';

/**
 * The entry point: records runs and artifacts, caches steps, and answers queries. A facade over
 * the services wired by `registerConsist`; open one per runs folder.
 *
 * @example
 * const tracker = await Tracker.open({ runDir: './runs' });
 * await tracker.startRun('import_2020', { model: 'asim', year: 2020 }, async () => {
 *   await tracker.logArtifact('data/households.csv', { key: 'households', direction: 'input' });
 * });
 * await tracker.close();
 */
export class Tracker<S extends Record<string, Function> = Record<string, Function>> {
  private closed = false;
  private queryHelpers: QueryHelpers | undefined;

  /** @internal use {@link Tracker.open} or `registerConsist`. */
  constructor(protected readonly services: TrackerServices) {}

  /**
   * Opens (creating if needed) a runs folder and its provenance database. Options are validated
   * before anything is created; a database held by another process is waited for (`lockTimeoutMs`).
   */
  static async open<S extends Record<string, Function> = Record<string, Function>, B extends BuiltinSchemaSet = never>(
    options: TrackerOptions<S> & { builtinSchemas?: readonly B[] }): Promise<Tracker<WithBuiltinSchemas<S, B>>> {
    // A child container isolates everything we register; the global container itself is never written.
    const container = options?.container ?? rootContainer.createChildContainer();
    const tracker = new Tracker<WithBuiltinSchemas<S, B>>(await composeServices(options, container));
    container.registerInstance(Tracker, tracker);
    return tracker;
  }

  /** Absolute runs folder. */
  get runDir(): string {
    return this.services.options.runDir;
  }

  /** Absolute path of the provenance database (or `:memory:`). */
  get dbPath(): string {
    return this.services.options.dbPath;
  }

  /** Starts a manual run, runs `fn`, and ends it `completed` — or `failed` (recorded, rethrown). */
  async startRun<T>(id: string, options: StartRunOptions, fn: (run: Run) => Promise<T>): Promise<T> {
    if (typeof fn !== 'function') throw ConfigurationError.invalidOption('fn', fn, 'an async function (run) => …');
    return this.services.lifecycle.startRun(id, options ?? {}, fn);
  }

  /** Begins a manual run that stays active until {@link endRun}. */
  beginRun(id: string, options: StartRunOptions = {}): Promise<Run> {
    return this.services.lifecycle.begin(id, options);
  }

  /** Ends the active manual run. */
  endRun(status: 'completed' | 'failed' = 'completed', error?: unknown): Promise<Run> {
    return this.services.lifecycle.end(status, error);
  }

  /** The active manual run, if any. */
  get currentRun(): Run | undefined {
    const active = this.services.lifecycle.active;
    return active ? structuredClone(active.run) : undefined;
  }

  /** Logs a file (path or URI) as an input or output of the active manual run. */
  async logArtifact(ref: string, options: LogArtifactOptions = {}): Promise<Artifact> {
    assertLogArtifactArgs(ref, options);
    if (!this.services.lifecycle.active) throw RunError.notActive('logArtifact');
    const prepared = await this.services.dataPlane.schemaRegistry.prepareLogOptions(ref, options);
    return this.services.lifecycle.logArtifact(ref, prepared);
  }

  /**
   * Loads a tabular artifact (CSV, Parquet, JSON, Arrow IPC, GeoParquet, GeoJSON) as an Arrow table. A
   * missing file of an ingested artifact is rebuilt from the DB (`dbFallback`, default `'always'`).
   * OMX/HDF5/Zarr/GTFS artifacts open as handles (API.md §12): `load<OmxFile>(skims)`.
   */
  async load<T = Table>(artifact: Artifact | string, options: { dbFallback?: DbFallback } = {}): Promise<T> {
    if (typeof options !== 'object' || options === null) throw ConfigurationError.invalidOption('options', options, 'an object ({ dbFallback })');
    const found = await this.services.queries.getArtifact(artifact);
    if (isHandleDriver(found.driver)) return (await this.services.loader.loadFormat(found)) as T;
    return (await this.services.dataPlane.materializer.load(found, options.dbFallback)) as T;
  }

  /** One run by id, or `undefined`. */
  getRun(id: string): Promise<Run | undefined> {
    return this.services.queries.getRun(id);
  }

  /** Every execution recorded under a run name, newest first (API.md §10); `RUN_NOT_FOUND` for an unknown id. */
  runHistory(id: string): Promise<Run[]> {
    return this.services.queries.runHistory(id);
  }

  /** Copies a past run's outputs (or `keys`) into `targetDir`, keeping their relative layout and verifying each copy's hash. */
  async hydrateRunOutputs(runId: string, targetDir: string, options: HydrateRunOutputsOptions = {}): Promise<Record<string, string>> {
    if (typeof targetDir !== 'string' || !targetDir) throw ConfigurationError.invalidOption('targetDir', targetDir, 'a folder path');
    const { outputs } = await this.services.queries.getArtifactsForRun(runId);
    return copyOutputs(selectOutputs(outputs, options, runId), targetDir);
  }

  /** Runs matching every given filter, newest first; a `Map` keyed by `indexBy` when given. */
  findRuns(options?: FindRunsOptions): Promise<Run[]>;
  findRuns<K extends keyof Run>(options: FindRunsOptions & { indexBy: K }): Promise<Map<Run[K], Run>>;
  async findRuns(options: FindRunsOptions & { indexBy?: keyof Run } = {}): Promise<Run[] | Map<unknown, Run>> {
    assertRunFilter(options);
    const { indexBy, ...filter } = options;
    return indexBy ? this.services.queries.findRunsIndexed(filter, indexBy) : this.services.queries.findRuns(filter);
  }

  /** Exactly one matching run, else `RUN_NOT_FOUND` / `RUN_AMBIGUOUS`. */
  findRun(options: FindRunsOptions): Promise<Run> {
    return this.services.queries.findRun(options);
  }

  /** A run's artifacts: `{ inputs, outputs }` keyed by the key the run used them under; `RUN_NOT_FOUND` for an unknown id. */
  getArtifactsForRun(runId: string): Promise<RunArtifacts> {
    return this.services.queries.getArtifactsForRun(runId);
  }

  /** An artifact by id, URI, key (newest), `{ key, runId }` (that run's), or an Artifact (API.md §11); `ARTIFACT_NOT_FOUND` else. */
  getArtifact(ref: ArtifactLookup): Promise<Artifact> {
    return this.helpers.getArtifact(ref);
  }

  /** The tree of runs that produced an artifact (id, URI, key, `{ key, runId }`, Artifact), and their inputs, to `maxDepth` levels. */
  lineage(artifact: ArtifactLookup, options: { maxDepth?: number } = {}): Promise<LineageNode> {
    return this.helpers.lineage(artifact, options);
  }

  /** Config and facet values that differ between two runs (API.md §11): `{ changes: { 'config.x': { a, b } } }`. */
  diffRuns(a: string, b: string, options?: DiffRunsOptions): Promise<RunDiff> {
    return this.helpers.diffRuns(a, b, options);
  }

  /** The matching run with the highest iteration, then the newest; `RUN_NOT_FOUND` when none. */
  findLatestRun(filter: FindRunsOptions = {}): Promise<Run> {
    return this.helpers.findLatestRun(filter);
  }

  /** Artifacts selected by facet predicates, namespace, key prefix and schema, newest first (API.md §11). */
  findArtifacts(options?: FindArtifactsOptions): Promise<Artifact[]> {
    return this.helpers.findArtifacts(options);
  }

  private get helpers(): QueryHelpers {
    this.queryHelpers ??= new QueryHelpers(this.services.reader, this.services.queries, this.services.artifacts);
    return this.queryHelpers;
  }

  /**
   * Runs a step with caching: a `@Step` class, `{ name, fn, … }`, or `{ executor: 'container' | 'command', … }`
   * (see {@link runContainer} / {@link runCommand}). When a completed run has the
   * same signature (code + config + inputs), `run()` is not called and its outputs are returned.
   */
  run<S extends Constructor<StepBase<any>>>(step: S, options?: RunStepOptions<StepConfig<S>>): Promise<RunResult<StepOutputs<S>>>;
  run<C = Record<string, unknown>>(step: FunctionStepOptions<C>): Promise<RunResult>;
  run(step: ExecutorStepOptions): Promise<RunResult>;
  async run(step: Constructor | FunctionStepOptions | ExecutorStepOptions, options: RunStepOptions = {}): Promise<RunResult> {
    if (isExecutorStep(step)) {
      const s = await executorStep(step);
      return this.services.stepRunner.run(s.def, s.code, s.invoke, s.opts);
    }
    const { def, code, invoke, opts } = typeof step === 'function'
      ? { def: compileStep(step), code: step, invoke: classInvoker(compileStep(step), this.services.container, this.services.loader), opts: options }
      : functionStep(step, this.services.loader);
    return this.services.stepRunner.run(def, code, invoke, opts);
  }

  /**
   * Runs a step once per item (API.md §13) — in this process (`'inline'`), on worker processes
   * (`'local'`) or on a cluster (`slurm({ … })`). All items are validated first; hits are resolved
   * here and never submitted; identical items execute once. Returns one `RunResult` or
   * `SweepItemError` per item, in item order.
   */
  map<S extends Constructor<StepBase<any>>>(step: S, items: ReadonlyArray<RunStepOptions<StepConfig<S>>>, options?: MapOptions): Promise<Array<MapItemResult<RunResult<StepOutputs<S>>>>> {
    return mapSteps(this.services.mapDeps, step, items, options) as Promise<Array<MapItemResult<RunResult<StepOutputs<S>>>>>;
  }

  /**
   * Runs a scenario: a `@Scenario` class, or `(name, options, fn)`. Creates a header run whose
   * children are the step runs; it ends `completed`, or `failed` (failing step recorded, error rethrown).
   */
  scenario<T>(scenario: Constructor<ScenarioBase<T>>): Promise<ScenarioResult<T>>;
  scenario<T = unknown>(name: string, options: ScenarioOptions, fn: (sc: ScenarioContext<T>) => Promise<void>): Promise<ScenarioResult<T>>;
  async scenario(a: Constructor | string, options: ScenarioOptions = {}, fn?: (sc: ScenarioContext<unknown>) => Promise<void>): Promise<ScenarioResult<unknown>> {
    if (typeof a === 'string') {
      if (typeof fn !== 'function') throw ConfigurationError.invalidOption('fn', fn, 'an async function (sc) => …');
      if (typeof options !== 'object' || options === null || Array.isArray(options)) {
        throw ConfigurationError.invalidOption('options', options, 'an object of scenario options');
      }
      return this.services.scenarioRunner.run({ ...options, name: a }, fn);
    }
    if (typeof a !== 'function') throw ConfigurationError.invalidOption('scenario', a, 'a @Scenario class or a scenario name');
    const meta = getScenarioMetadata(a);
    if (!meta) throw MetadataError.missingDecorator(a, '@Scenario');
    const instance = this.services.container.resolve(a as unknown as new () => ScenarioBase<unknown>);
    return this.services.scenarioRunner.run({ ...meta.options, name: meta.options.name ?? a.name }, (sc) => instance.run(sc));
  }

  /** Why the run missed the cache: which of code, config (which keys) and inputs (which) changed. */
  async explainCacheMiss(runId: string): Promise<CacheMissExplanation | undefined> {
    const run = await this.services.queries.getRun(runId);
    if (!run) throw new RunNotFoundError(`id '${runId}'`);
    return run.meta.cacheMissExplanation as CacheMissExplanation | undefined;
  }

  /**
   * Runs SQL against the provenance database (tables, views, `hot.*`) and returns row objects.
   * Values are bound to `?` placeholders, never spliced in.
   */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.services.dataPlane.views.sql<T>(text, params);
  }

  /**
   * Runs a local executable as a cached step (API.md §7). The resolved binary's bytes, the argv and
   * the `env` entries you pass form its identity; `cwd` and the inherited environment do not.
   * stdout/stderr go to `<run folder>/stdout.log` / `stderr.log`; a non-zero exit is `COMMAND_FAILED`.
   * @example
   * await tracker.runCommand({ command: ['sh', '-c', 'sort in.csv > out.csv'], cwd: 'work',
   *   inputs: ['in.csv'], outputs: { sorted: 'out.csv' } });
   */
  async runCommand(options: RunCommandOptions): Promise<RunResult> {
    const { def, code, invoke, opts } = await commandStep(options);
    return this.services.stepRunner.run(def, code, invoke, opts);
  }

  /**
   * Runs a container (docker, podman or apptainer) as a cached step (API.md §7). The image digest,
   * backend, command, env and container-side mount points form its identity; host paths do not.
   * A hit starts no container.
   */
  async runContainer(options: RunContainerOptions): Promise<RunResult> {
    const { def, code, invoke, opts } = await containerStep(options);
    return this.services.stepRunner.run(def, code, invoke, opts);
  }

  /** Typed views of the schema classes given to `Tracker.open({ schemas, builtinSchemas })`: `tracker.views.Person` → `View<Person>`. */
  get views(): ViewsOf<S> {
    return this.services.dataPlane.views.views() as ViewsOf<S>;
  }

  /** Kysely over the provenance database (`run`, `artifact`, facet and schema tables). */
  get db(): Kysely<ProvenanceTables> {
    return this.services.dataPlane.views.provenance;
  }

  /** Loads an artifact's rows into `hot.<table>` with system columns; strict with a `@Table` schema (API.md §5). */
  ingest(artifact: Artifact | string, options: IngestOptions = {}): Promise<IngestResult> {
    return this.services.dataPlane.materializer.ingest(artifact, options);
  }

  /** A hybrid view `name` over every artifact logged under `key` (ingested rows + cold files; OMX/pandas members, API.md §12). */
  createView(name: string, key: string, options?: MemberViewOptions): Promise<View> {
    return this.services.dataPlane.views.createView(name, key, options);
  }

  /** One view over many artifacts selected by schema identity, run filters and facet predicates (API.md §5). */
  createGroupedView(name: string, options: GroupedViewOptions): Promise<View> {
    return this.services.dataPlane.views.createGroupedView(name, options);
  }

  /** One row per run, one column per facet key: a named view (`sql`, `rows()`, `query()`), API.md §11. */
  pivotFacets(options: PivotFacetsOptions): Promise<FacetPivotView> {
    return this.services.dataPlane.views.pivotFacets(options);
  }

  /** TypeScript source of an editable `@Table` class for a schema id (or an artifact id's schema). */
  exportSchema(schemaIdOrArtifactId: string, options?: ExportSchemaOptions): Promise<string> {
    return this.services.dataPlane.schemaRegistry.exportSchema(schemaIdOrArtifactId, options);
  }

  /**
   * The read barrier: returns once every run this tracker recorded (and every pending snapshot of
   * the runs folder) is committed to the provenance database. Queries call it themselves; call it
   * before reading the DB file from elsewhere (another connection, a copy).
   */
  drain(): Promise<void> {
    return this.services.recorder.drain();
  }

  /** Flushes and releases the database and file engine. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.services.recorder.flush(); // the indexer commits what waits before the DB is released
    await this.services.engine.close();
    await this.services.db.close();
  }
}
