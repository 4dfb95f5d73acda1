import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BytesNeeded, CacheIndex } from '../cache/cache-index';
import type { SingleFlight } from '../cache/single-flight';
import type { Hydrator } from '../cache/hydration';
import { closestRun, explainMiss, type CacheMissExplanation } from '../cache/miss-explanation';
import { isConsistError, StepExecutionError } from '../errors';
import type { IdentityRecord } from '../identity';
import type { StepDefinition } from '../metadata/compile-step';
import type { Artifact, Run, RunKind } from '../model';
import { ActiveRun } from '../recording/active-run';
import type { RunLifecycle } from '../recording/run-lifecycle';
import type { RunRecorder } from '../recording/run-recorder';
import { crashPoint } from '../util/crash-point';
import { newRunId } from '../util/ids';
import type { Logger } from '../util/logger';
import type { InputResolver, InputSource, ResolvedInput } from './input-resolver';
import { bindConfig } from './config-binding';
import { bindModelConfig, locateConfigChanges, modelConfigMeta, type BoundModelConfig } from './model-config-binding';
import { OutputWriter } from './output-writer';
import { assertRunStepOptions, type RunResult, type RunStepOptions } from './run-step-options';
import { StepContext } from './step-context';
import { computeStepIdentity, type IdentitySettings } from './step-identity';
import { invokeWithCapture, type StepInvoker } from './step-invoker';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { DataEngine } from '../engine/data-engine';
import type { RunLookup } from '../provenance/run-repository';
import { assertRunId } from '../recording/run-options';
import { assertFacetFrom, withRunFacetDefaults, type StepMetadataDefaults } from './run-facet-defaults';

/** What a scenario adds to a step run: coupler lookups, a parent, a deterministic id. @internal */
export interface StepScope {
  source?: InputSource;
  parentRunId?: string;
  runId?: string;
  cacheEpoch?: number;
  model?: string;
  /** Kind of run recorded (`trace` for scenario traces). Default `step`. */
  kind?: RunKind;
  /** Called as each output is logged (scenarios put it in the coupler live). */
  onOutput?: (key: string, artifact: Artifact) => void;
  /** A scenario's `stepTags` / `stepFacet`, defaulted onto the run. */
  defaults?: StepMetadataDefaults;
}

/** Services the runner calls. @internal */
export interface StepRunnerDeps {
  settings: IdentitySettings & { cacheEpoch: number; runDir: string };
  artifacts: ArtifactStore;
  engine: DataEngine;
  /** Producer signatures; snapshot-backed in `shared` lock mode. */
  runs: RunLookup;
  recorder: RunRecorder;
  lifecycle: RunLifecycle;
  cache: CacheIndex;
  hydrator: Hydrator;
  inputs: InputResolver;
  logger: Logger;
  /** Runs identical `reuse` steps once across concurrent callers; absent: no coordination. */
  singleFlight?: SingleFlight;
}

/** A step to run: its definition, the code its identity hashes, and how to call it. @internal */
export interface StepCall {
  def: StepDefinition;
  code: Function;
  invoke: StepInvoker;
}

/** How a cache miss executes: the invoker and the caller's scope. */
interface Execution {
  invoke: StepInvoker;
  scope: StepScope;
}

interface Prepared {
  def: StepDefinition;
  options: RunStepOptions;
  inputs: ResolvedInput[];
  config: object;
  /** Set when `options.config` was a ModelConfig (activitysimConfig, beamConfig). */
  modelConfig?: BoundModelConfig;
  identity: IdentityRecord;
  runId: string;
  model: string | null;
  parentRunId: string | null;
  kind: RunKind;
  /** A completed run already recorded under the chosen name with this very identity: returned as is. */
  reuse?: Run;
}

/** Runs one step: resolve → identify → look up → (hit: record) | (miss: execute, write, record). */
export class StepRunner {
  constructor(private readonly d: StepRunnerDeps) {}

  /** Runs a step outside any scenario or sweep (the facade's entry point); see {@link runScoped}. */
  run(def: StepDefinition, code: Function, invoke: StepInvoker, options: RunStepOptions = {}): Promise<RunResult> {
    return this.runScoped({ def, code, invoke }, options);
  }

  /** Runs a step within `scope` (a scenario's or a sweep's defaults, ids and callbacks). */
  async runScoped({ def, code, invoke }: StepCall, options: RunStepOptions = {}, scope: StepScope = {}): Promise<RunResult> {
    const p = await this.prepare(def, code, options, scope);
    const exec: Execution = { invoke, scope };
    const mode = options.cacheMode ?? 'reuse';
    if (p.reuse) return this.returnNamed(p, p.reuse);
    if (mode === 'overwrite') return this.miss(p, exec);
    const lookup = async (): Promise<RunResult | undefined> => {
      const hit = await this.d.cache.find(p.identity.signature, bytesNeeded(options));
      return hit ? this.recordHit(p, hit, mode === 'readonly') : undefined;
    };
    // Identical steps started concurrently (other processes included) execute once; see SingleFlight.
    const flight = mode === 'reuse' ? this.d.singleFlight : undefined;
    if (!flight) return (await lookup()) ?? this.miss(p, exec);
    return flight.run(p.identity.signature, lookup, () => this.miss(p, exec));
  }

  private async miss(p: Prepared, exec: Execution): Promise<RunResult> {
    const { def, options } = p;
    const mode = options.cacheMode ?? 'reuse';
    const previous = mode === 'overwrite' ? undefined : closestRun(p.identity, await this.d.cache.similarRuns(def.name, p.model));
    const explanation: CacheMissExplanation = mode === 'overwrite'
      ? { ...explainMiss(p.identity, undefined), reason: 'cache_mode_overwrite' }
      : explainMiss(p.identity, previous);
    if (p.modelConfig) locateConfigChanges(explanation, p.identity.config, previous, p.modelConfig);
    if (options.cacheHydration === 'inputs-missing') await this.d.hydrator.restoreMissingInputs(p.inputs.map((i) => i.artifact));
    return this.execute(p, exec, explanation, mode === 'readonly');
  }

  /** The cache hit this call would get, without recording or executing anything. */
  async peek(def: StepDefinition, code: Function, options: RunStepOptions = {}, scope: StepScope = {}): Promise<Record<string, Artifact> | undefined> {
    const p = await this.prepare(def, code, { ...options, runId: undefined }, { ...scope, runId: undefined });
    return (await this.d.cache.find(p.identity.signature, 'none'))?.outputs;
  }

  /**
   * Validates `options` (typed error on bad input) and computes the signature; `hit` says whether a
   * completed run would be reused. Records nothing (a sweep's submitter sorts items with it).
   */
  async probe(def: StepDefinition, code: Function, options: RunStepOptions = {}, scope: StepScope = {}): Promise<{ signature: string; hit: boolean }> {
    const p = await this.prepare(def, code, { ...options, runId: undefined }, { ...scope, runId: undefined });
    const hit = options.cacheMode === 'overwrite' ? undefined : await this.d.cache.find(p.identity.signature, bytesNeeded(options));
    return { signature: p.identity.signature, hit: hit !== undefined };
  }

  /** Everything that can fail on bad input happens here, before any side effect. */
  private async prepare(def: StepDefinition, code: Function, options: RunStepOptions, scope: StepScope): Promise<Prepared> {
    assertRunStepOptions(options);
    assertFacetFrom(options.facetFrom);
    if (options.runId !== undefined) assertRunId(options.runId);
    const requested = options.runId ?? scope.runId ?? newRunId(def.name);
    const inputs = await this.d.inputs.resolve(def, options.inputs ?? {}, scope.source, options.dependsOn);
    const modelConfig = await bindModelConfig(options.config, this.d.inputs);
    const config = bindConfig(def.configClass, modelConfig ? modelConfig.resolved.value : options.config);
    options = withRunFacetDefaults(def, options, config, scope.defaults);
    // The step's own model wins; a scenario's model is the default for steps without one (API.md §10).
    const model = options.model ?? def.model ?? scope.model ?? null;
    const identity = await computeStepIdentity({
      def, code, config, inputs, model, year: options.year ?? null, iteration: options.iteration ?? null,
      cacheEpoch: options.cacheEpoch ?? scope.cacheEpoch ?? this.d.settings.cacheEpoch,
      cacheVersion: def.cacheVersion + (options.cacheVersion ?? 0),
    }, this.d.settings, this.d.runs);
    const kind = scope.kind ?? 'step';
    // A chosen id is a name: same identity, completed → that run; otherwise a new execution `<id>~n`.
    const mode = options.cacheMode ?? 'reuse';
    // A scenario's derived id (`baseline_asim_2030`) is a name too, but never returns an older run: each
    // scenario execution records its own children, so `findRun({ parentId, year })` finds them.
    const names = this.d.lifecycle.names;
    const claim = options.runId
      ? await names.claim(requested, { kind, model, signature: mode === 'overwrite' ? null : identity.signature, reserve: mode !== 'readonly' })
      : scope.runId ? await names.claim(requested, { kind, model, signature: null, anyKind: true, reserve: mode !== 'readonly' }) : { id: requested };
    return { def, options, inputs, config, modelConfig, identity, runId: claim.id, model, parentRunId: options.parentRunId ?? scope.parentRunId ?? null, kind, reuse: claim.reuse };
  }

  /** The completed run recorded under the requested name with this identity: nothing executed, nothing recorded. */
  private async returnNamed(p: Prepared, run: Run): Promise<RunResult> {
    const outputs = Object.fromEntries(Object.entries(await this.d.lifecycle.names.outputsOf(run.id))
      .map(([k, a]) => [k, this.d.artifacts.withPath(a)]));
    await this.hydrate(p.options, outputs);
    return { run, cacheHit: true, outputs };
  }

  /**
   * The run's active record with its inputs linked. `recorded` (a cache hit): the matched run's
   * input records; an input whose file is the same record (same key, URI, content hash, driver,
   * producer, schema) links that record again instead of a new one, so hits add no artifact rows.
   */
  private newActive(p: Prepared, recorded: Record<string, Artifact> = {}): ActiveRun {
    const o = p.options;
    const active = new ActiveRun({
      id: p.runId, kind: p.kind, name: o.name ?? p.def.name, model: p.model, parentRunId: p.parentRunId,
      year: o.year, iteration: o.iteration, tags: o.tags, facet: o.facet, config: p.identity.config,
      meta: { ...(o.meta ?? {}), identity: p.identity, ...(p.modelConfig ? { modelConfig: modelConfigMeta(p.modelConfig) } : {}) },
    }, this.d.logger);
    Object.assign(active.run, {
      signature: p.identity.signature, codeHash: p.identity.codeHash, configHash: p.identity.configHash, inputHash: p.identity.inputHash,
    });
    for (const i of [...p.inputs, ...(p.modelConfig?.files ?? [])]) {
      const earlier = recorded[i.key];
      active.link(earlier && sameRecord(earlier, i.artifact) ? earlier : i.artifact, i.key, 'input');
    }
    return active;
  }

  private async recordHit(p: Prepared, hit: Awaited<ReturnType<CacheIndex['find']>> & object, readonly: boolean): Promise<RunResult> {
    const active = this.newActive(p, hit.inputs);
    active.run.cacheHit = true;
    active.run.reusedRunId = hit.producerRunId;
    for (const [key, a] of Object.entries(hit.outputs)) active.link(a, key, 'output');
    const hydrated = await this.hydrate(p.options, hit.outputs);
    if (hydrated) active.run.meta.hydrated = hydrated;
    active.finish('completed');
    // The id is new (generated, or checked free) and the cached outputs were just read from the index.
    const storedArtifactIds = new Set(Object.values(hit.outputs).map((a) => a.id));
    if (!readonly) await this.d.recorder.persist(active.snapshot(), { fresh: true, storedArtifactIds });
    return { run: structuredClone(active.run), cacheHit: true, outputs: hit.outputs };
  }

  private async hydrate(o: RunStepOptions, outputs: Record<string, Artifact>): Promise<Record<string, string> | undefined> {
    if (o.cacheHydration === 'outputs-requested' && o.hydrateTo) return this.d.hydrator.outputsRequested(outputs, o.hydrateTo);
    if (o.cacheHydration === 'outputs-all' && o.hydrateDir) return this.d.hydrator.outputsAll(outputs, o.hydrateDir);
    return undefined;
  }

  private async execute(p: Prepared, { invoke, scope }: Execution, explanation: CacheMissExplanation, readonly: boolean): Promise<RunResult> {
    const active = this.newActive(p);
    active.run.meta.cacheMissExplanation = explanation;
    const folder = readonly
      ? path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'consist-readonly-')), p.runId)
      : path.join(this.d.settings.runDir, p.runId);
    if (readonly) await fs.mkdir(folder, { recursive: true }); // otherwise the first persist creates it with the run's marker
    const persist = async (fresh = false) => { if (!readonly) await this.d.recorder.persist(active.snapshot(), { fresh }); };
    await persist(true);
    const writer = new OutputWriter({ artifacts: this.d.artifacts, engine: this.d.engine, active, folder, onOutput: scope.onOutput });
    const ctx = new StepContext({
      runId: p.runId, runDir: folder, year: p.options.year ?? null, iteration: p.options.iteration ?? null,
      runtime: Object.freeze({ ...(p.options.runtime ?? {}) }), port: writer,
    });
    let outputs: Record<string, Artifact>;
    try {
      const returned = await invokeWithCapture(p.def, invoke, { ctx, inputs: p.inputs, config: p.config });
      crashPoint('step:after-invoke');
      outputs = await writer.collect(p.def, returned);
      crashPoint('step:after-outputs');
    } catch (err) {
      const error = isConsistError(err) ? err : new StepExecutionError(p.def.name, p.runId, err);
      active.finish('failed', isConsistError(err) ? err : err instanceof Error ? err : error);
      await persist();
      throw error;
    }
    active.finish('completed');
    await persist();
    return { run: structuredClone(active.run), cacheHit: false, outputs, cacheMissReason: explanation };
  }
}

function bytesNeeded(o: RunStepOptions): BytesNeeded {
  if (o.cacheHydration === 'outputs-all') return 'all';
  if (o.cacheHydration === 'outputs-requested') return Object.keys(o.hydrateTo ?? {});
  return 'none';
}

/** Two records of the same file state: same key, URI, content hash (known), driver, producer and schema. */
function sameRecord(a: Artifact, b: Artifact): boolean {
  return a.hash !== null && a.key === b.key && a.uri === b.uri && a.hash === b.hash && a.driver === b.driver &&
    a.runId === b.runId && a.schemaId === b.schemaId && a.size === b.size;
}
