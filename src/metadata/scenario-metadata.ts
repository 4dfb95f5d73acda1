import type { CacheHydration } from './step-metadata-types';
import { metadataKey, readOwn, writeOwn, type Constructor } from './registry';

/** What users write in `@Scenario(...)` and pass to the functional `tracker.scenario(name, options, fn)`. */
export interface ScenarioOptions {
  /** Header run name (and id prefix); defaults to the class name. */
  name?: string;
  model?: string;
  /** A `@CouplerSchema` class giving typed slots. */
  coupler?: Constructor;
  /** Scenario-level config, recorded on the header run and visible as `sc.config`. */
  config?: Record<string, unknown>;
  tags?: string[];
  /** Default hydration of the scenario's steps. */
  stepCacheHydration?: CacheHydration;
  /** Scenario-level cache epoch for its steps. */
  cacheEpoch?: number;
  facet?: Record<string, unknown>;
  /** Tags added to every child run of the scenario (API.md §11). */
  stepTags?: string[];
  /** Facet defaulted onto every child run; a step's own facet keys win. */
  stepFacet?: Record<string, unknown>;
}

/** What `@Scenario` records. */
export interface ScenarioMetadata { target: Constructor; options: ScenarioOptions }

const SCENARIO = metadataKey<ScenarioMetadata>('scenario');

/** The `@Scenario` record of a class, or undefined. */
export const getScenarioMetadata = (target: Function): ScenarioMetadata | undefined => readOwn(SCENARIO, target);

/** Records `@Scenario` options. @internal */
export const defineScenarioMetadata = (target: Constructor, value: ScenarioMetadata): void => writeOwn(SCENARIO, target, value);
