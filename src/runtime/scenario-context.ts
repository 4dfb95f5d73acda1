import * as path from 'node:path';
import type { Table } from 'apache-arrow';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore, LogArtifactOptions } from '../artifacts/artifact-store';
import { ConfigurationError } from '../errors';
import { compileStep, definitionFromOptions } from '../metadata/compile-step';
import type { Constructor } from '../metadata/registry';
import type { Artifact } from '../model';
import { slugify } from '../util/ids';
import { nameOfExecution } from '../recording/run-names';
import type { Coupler, TypedCoupler } from '../coupler/coupler';
import type { ActiveRun } from '../recording/active-run';
import type { RunResult, RunStepOptions, StepConfig, StepOutputs, InputRef } from './run-step-options';
import type { StepBase } from './step-base';
import type { StepContext } from './step-context';
import { classInvoker, functionInvoker, type StepInvoker } from './step-invoker';
import type { StepDefinition } from '../metadata/compile-step';
import { functionStep } from './function-step';
import { commandStep, type RunCommandOptions } from './command-step';
import { containerStep, type RunContainerOptions } from './container-step';
import { resolveExternalInputs, resolveFunctionStep, type ScenarioFunctionStep } from './scenario-inputs';
import { assertOutputFacet } from './output-facets';
import type { StepRunner, StepScope } from './step-runner';
import type { DependencyContainer } from 'tsyringe';

/** Options of `sc.trace`: a block that always runs, with provenance. */
export interface TraceOptions extends Omit<RunStepOptions, 'inputs' | 'cacheMode'> {
  /** Inputs by key, or coupler keys to read (`['persons']`). */
  inputs?: Record<string, InputRef> | string[];
  outputs?: string[];
}

/** Options of `sc.logArtifacts`: `logArtifact` options for every file, plus per-key metadata and facets. */
export interface LogArtifactsOptions extends Omit<LogArtifactOptions, 'key'> {
  metadataByKey?: Record<string, Record<string, unknown>>;
  /** Facet per key, over the common `facet` (API.md §11). */
  facetsByKey?: Record<string, Record<string, unknown>>;
  year?: number;
}

/** Services a scenario context uses. @internal */
export interface ScenarioContextDeps {
  runner: StepRunner;
  container: DependencyContainer;
  loader: ArtifactLoader;
  artifacts: ArtifactStore;
  header: ActiveRun;
  coupler: Coupler;
  typed: TypedCoupler<unknown>;
  scope: Omit<StepScope, 'runId' | 'onOutput' | 'source'>;
  defaults: Partial<RunStepOptions>;
  config: Readonly<Record<string, unknown>>;
  /** The sweep service behind `sc.map` (absent: `sc.map` is unavailable). */
  map?: ScenarioMapper;
}

/** What `sc.map` delegates to (`tracker.map`'s engine with a scenario scope). @internal */
export type ScenarioMapper = (step: Function, items: readonly RunStepOptions[], options: object | undefined, scope: StepScope) => Promise<Array<RunResult | Error>>;

/**
 * What a scenario's `run(sc)` works with: `sc.run` (cached steps), `sc.trace` (always-run blocks),
 * the coupler, and output declarations. Step runs are children of the scenario's header run.
 */
export class ScenarioContext<TCoupler = unknown> {
  /** Every step result so far, in order. */
  readonly steps: RunResult[] = [];
  private readonly usedIds = new Set<string>();

  /** @internal */
  constructor(private readonly d: ScenarioContextDeps) {}

  /** The scenario's coupler; `@Slot` names are typed properties. */
  get coupler(): TypedCoupler<TCoupler> {
    return this.d.typed as TypedCoupler<TCoupler>;
  }

  /** The header run id. */
  get runId(): string {
    return this.d.header.id;
  }

  /** The scenario-level config. */
  get config(): Readonly<Record<string, unknown>> {
    return this.d.config;
  }

  /**
   * Runs a cached step — a `@Step` class, or a function step `{ name, fn, inputs?, outputs?, … }`
   * whose `inputs` may list coupler keys. Inputs not given resolve from the coupler; outputs land
   * in it; a hit skips execution. The step's own `model` wins over the scenario's.
   */
  async run<S extends Constructor<StepBase<any>>>(step: S, options?: RunStepOptions<StepConfig<S>>): Promise<RunResult<StepOutputs<S>>>;
  async run<C = Record<string, unknown>>(step: ScenarioFunctionStep<C>): Promise<RunResult>;
  async run(step: Constructor | ScenarioFunctionStep, options: RunStepOptions = {}): Promise<RunResult> {
    if (typeof step !== 'function') {
      const f = functionStep(resolveFunctionStep(step, this.d.coupler), this.d.loader);
      return this.runCompiled(f.def, f.code, f.invoke, f.opts);
    }
    const def = compileStep(step);
    return this.runCompiled(def, step, classInvoker(def, this.d.container, this.d.loader), options);
  }

  /** `tracker.runCommand` as a scenario step: list inputs may name coupler keys; outputs land in the coupler. */
  async runCommand(options: RunCommandOptions): Promise<RunResult> {
    const base = path.resolve(typeof options?.cwd === 'string' ? options.cwd : process.cwd());
    const s = await commandStep(resolveExternalInputs(options, this.d.coupler, base));
    return this.runCompiled(s.def, s.code, s.invoke, s.opts);
  }

  /** `tracker.runContainer` as a scenario step: list inputs may name coupler keys; outputs land in the coupler. */
  async runContainer(options: RunContainerOptions): Promise<RunResult> {
    const s = await containerStep(resolveExternalInputs(options, this.d.coupler, process.cwd()));
    return this.runCompiled(s.def, s.code, s.invoke, s.opts);
  }

  private async runCompiled(def: StepDefinition, code: Function, invoke: StepInvoker, options: RunStepOptions): Promise<RunResult> {
    const merged = { ...this.d.defaults, ...options } as RunStepOptions;
    return this.record(await this.d.runner.runScoped({ def, code, invoke }, merged, this.scopeFor(def.name, merged)));
  }

  /**
   * Runs a step once per item (API.md §13) as children of the header; each result's outputs land
   * in the coupler. `@Input` keys an item does not give resolve from the coupler (also for worker
   * processes: the submitter resolves them). Same options and result slots as `tracker.map`.
   */
  async map<S extends Constructor<StepBase<any>>>(step: S, items: ReadonlyArray<RunStepOptions<StepConfig<S>>>, options?: object): Promise<Array<RunResult<StepOutputs<S>> | Error>> {
    if (!this.d.map) throw ConfigurationError.invalidOption('sc.map', 'unavailable', 'a scenario started by tracker.scenario');
    const merged = Array.isArray(items) ? items.map((i) => ({ ...this.d.defaults, ...i }) as RunStepOptions) : items;
    const scope: StepScope = { ...this.d.scope, source: this.d.coupler, onOutput: (k, a) => this.d.coupler.set(k, a) };
    const results = await this.d.map(step, merged, options, scope);
    for (const r of results) if (!(r instanceof Error)) this.steps.push(r);
    return results as Array<RunResult<StepOutputs<S>> | Error>;
  }

  /**
   * Runs `block` every time, with provenance: what it logs through `ctx` is recorded and reaches
   * the coupler live. When an earlier identical trace exists, its outputs are in the coupler first.
   */
  async trace(name: string, options: TraceOptions, block: (ctx: StepContext) => Promise<void>): Promise<RunResult> {
    if (typeof block !== 'function') throw ConfigurationError.invalidOption('block', block, 'an async function');
    const inputs = Array.isArray(options.inputs)
      ? Object.fromEntries(options.inputs.map((k) => [k, this.d.coupler.require(k)]))
      : options.inputs;
    const def = definitionFromOptions({ name, outputs: options.outputs, codeVersion: options.meta?.codeVersion as string | undefined }, null, []);
    const opts = { ...this.d.defaults, ...options, inputs } as RunStepOptions;
    const scope: StepScope = { ...this.scopeFor(name, opts), kind: 'trace' };
    const cached = await this.d.runner.peek(def, block, opts, scope);
    if (cached) this.d.coupler.update(cached);
    const invoke = functionInvoker(async (_inputs, ctx) => block(ctx), 'artifact', this.d.loader);
    const result = await this.d.runner.runScoped({ def, code: block, invoke }, { ...opts, cacheMode: 'overwrite' }, scope);
    // The block always runs; `cacheHit` says its identity matched a completed run (API.md §10).
    return this.record(cached ? { ...result, cacheHit: true } : result);
  }

  /** Loads a tabular artifact (or coupler key) into Arrow. */
  load(ref: Artifact | string): Promise<Table> {
    return this.d.loader.load(typeof ref === 'string' ? this.d.coupler.require(ref) : ref);
  }

  /** Declares required coupler outputs of the scenario. */
  requireOutputs(...keys: string[]): void {
    this.d.coupler.requireOutputs(...keys);
  }

  /** Declares outputs: key → required. */
  declareOutputs(outputs: Record<string, boolean>): void {
    this.d.coupler.declareOutputs(outputs);
  }

  /** Logs several files as outputs of the scenario header (one snapshot write at the end) and puts them in the coupler. */
  async logArtifacts(files: Record<string, string>, options: LogArtifactsOptions = {}): Promise<Record<string, Artifact>> {
    const out: Record<string, Artifact> = {};
    const { metadataByKey, facetsByKey, year, ...common } = options;
    assertFacetsByKey(facetsByKey);
    for (const [key, file] of Object.entries(files)) {
      const meta = { ...(common.meta ?? {}), ...(metadataByKey?.[key] ?? {}), ...(year !== undefined ? { year } : {}) };
      const direction = common.direction ?? 'output';
      const facet = facetsByKey?.[key] ? { ...(common.facet ?? {}), ...facetsByKey[key] } : common.facet;
      const a = await this.d.artifacts.describe(file, { ...common, key, meta, direction, facet }, direction === 'output' ? this.d.header.id : null);
      this.d.header.link(a, key, direction);
      this.d.coupler.set(key, a);
      out[key] = a;
    }
    return out;
  }

  private scopeFor(stepName: string, options: RunStepOptions): StepScope {
    const base = `${nameOfExecution(this.d.header.id)}_${slugify(options.name ?? stepName)}${options.year !== undefined ? `_${options.year}` : ''}`;
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}_${n}`;
    this.usedIds.add(id);
    return { ...this.d.scope, runId: id, source: this.d.coupler, onOutput: (k, a) => this.d.coupler.set(k, a) };
  }

  private record(result: RunResult): RunResult {
    this.d.coupler.update(result.outputs);
    this.steps.push(result);
    return result;
  }
}

function assertFacetsByKey(facets: unknown): void {
  if (facets === undefined) return;
  if (typeof facets !== 'object' || facets === null || Array.isArray(facets)) {
    throw ConfigurationError.invalidOption('facetsByKey', facets, 'an object of key → facet');
  }
  for (const [key, facet] of Object.entries(facets)) assertOutputFacet(`facetsByKey.${key}`, { facet: facet as Record<string, unknown> });
}
