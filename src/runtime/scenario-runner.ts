import type { DependencyContainer } from 'tsyringe';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { Coupler, typedCoupler, type TypedCoupler } from '../coupler/coupler';
import { ConfigurationError, ScenarioOutputsMissingError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';
import { compileCoupler } from '../metadata/coupler-metadata';
import type { ScenarioOptions } from '../metadata/scenario-metadata';
import type { Run } from '../model';
import { ActiveRun } from '../recording/active-run';
import type { RunLifecycle } from '../recording/run-lifecycle';
import { assertRunMetadata } from '../recording/run-options';
import type { RunRecorder } from '../recording/run-recorder';
import { slugify } from '../util/ids';
import type { Logger } from '../util/logger';
import type { RunResult } from './run-step-options';
import { ScenarioContext, type ScenarioMapper } from './scenario-context';
import type { StepRunner } from './step-runner';
import { assertStepDefaults } from './run-facet-defaults';

/** Result of a scenario: its header run, every step result, and the final coupler. */
export interface ScenarioResult<TCoupler = unknown> {
  run: Run;
  steps: RunResult[];
  coupler: TypedCoupler<TCoupler>;
}

/** Services the scenario runner uses. @internal */
export interface ScenarioRunnerDeps {
  runner: StepRunner;
  container: DependencyContainer;
  loader: ArtifactLoader;
  artifacts: ArtifactStore;
  recorder: RunRecorder;
  lifecycle: RunLifecycle;
  logger: Logger;
  /** `sc.map`'s engine (the sweep service), when wired. */
  map?: ScenarioMapper;
}

/** Runs a scenario: a header run, its steps as children, and the declared-output check at the end. */
export class ScenarioRunner {
  constructor(private readonly d: ScenarioRunnerDeps) {}

  async run<T>(options: ScenarioOptions & { name: string }, body: (sc: ScenarioContext<T>) => Promise<void>): Promise<ScenarioResult<T>> {
    assertScenarioOptions(options);
    const schema = options.coupler ? compileCoupler(options.coupler) : null;
    const coupler = new Coupler(schema, this.d.logger);
    for (const slot of schema?.slots ?? []) if (slot.required) coupler.requireOutputs(slot.name);
    const header = new ActiveRun({
      id: (await this.d.lifecycle.names.claim(slugify(options.name), { kind: 'scenario', model: options.model ?? null })).id, kind: 'scenario', name: options.name, model: options.model,
      tags: options.tags, facet: options.facet, config: options.config ?? {},
    }, this.d.logger);
    await this.d.recorder.persist(header.snapshot());
    const typed = typedCoupler<T>(coupler, schema);
    const sc = new ScenarioContext<T>({
      runner: this.d.runner, container: this.d.container, loader: this.d.loader, artifacts: this.d.artifacts, header, coupler, typed,
      scope: { parentRunId: header.id, cacheEpoch: options.cacheEpoch, model: options.model,
        defaults: { stepTags: options.stepTags, stepFacet: options.stepFacet } },
      defaults: options.stepCacheHydration ? { cacheHydration: options.stepCacheHydration } : {},
      config: Object.freeze({ ...(options.config ?? {}) }),
      map: this.d.map,
    });
    await this.execute(header, sc, body, coupler);
    return { run: structuredClone(header.run), steps: [...sc.steps], coupler: typed };
  }

  private async execute<T>(header: ActiveRun, sc: ScenarioContext<T>, body: (sc: ScenarioContext<T>) => Promise<void>, coupler: Coupler): Promise<void> {
    try {
      await body(sc);
    } catch (err) {
      const step = (err as { details?: { step?: string } }).details?.step ?? sc.steps.length.toString();
      header.finish('failed', err, { failedStep: step });
      header.run.meta.coupler = keysToIds(coupler);
      await this.d.recorder.persist(header.snapshot());
      throw err;
    }
    header.run.meta.coupler = keysToIds(coupler);
    const missing = coupler.missingDeclaredOutputs();
    if (missing.length) {
      const error = new ScenarioOutputsMissingError(header.run.name, missing);
      header.run.meta.missingOutputs = missing;
      header.finish('failed', error);
      await this.d.recorder.persist(header.snapshot());
      throw error;
    }
    header.finish('completed');
    await this.d.recorder.persist(header.snapshot());
  }
}

const keysToIds = (c: Coupler) => Object.fromEntries(Object.entries(c.toObject()).map(([k, a]) => [k, a.id]));

function assertScenarioOptions(o: ScenarioOptions & { name: string }): void {
  if (typeof o.name !== 'string' || !o.name) throw ConfigurationError.invalidOption('name', o.name, 'a non-empty scenario name');
  assertRunMetadata({ model: o.model, tags: o.tags, facet: o.facet });
  assertStepDefaults(o);
  if (o.config !== undefined && (typeof o.config !== 'object' || o.config === null)) throw ConfigurationError.invalidOption('config', o.config, 'an object');
  if (o.config !== undefined) toCanonicalValue(o.config, 'config');
  if (o.cacheEpoch !== undefined && !Number.isInteger(o.cacheEpoch)) throw ConfigurationError.invalidOption('cacheEpoch', o.cacheEpoch, 'an integer');
  if (o.coupler !== undefined && typeof o.coupler !== 'function') throw ConfigurationError.invalidOption('coupler', o.coupler, 'a @CouplerSchema class');
  if (o.stepCacheHydration !== undefined && !HYDRATIONS.includes(o.stepCacheHydration)) {
    throw ConfigurationError.invalidOption('stepCacheHydration', o.stepCacheHydration, HYDRATIONS.join(' | '));
  }
}

const HYDRATIONS: readonly string[] = ['metadata', 'outputs-requested', 'outputs-all', 'inputs-missing'];
