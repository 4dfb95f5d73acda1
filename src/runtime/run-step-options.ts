import type { Table } from 'apache-arrow';
import { ConfigurationError } from '../errors';
import type { InputBinding, StepOptions } from '../metadata/step-metadata';
import type { Artifact, Run } from '../model';
import { assertRunMetadata, type RunMetadataOptions } from '../recording/run-options';
import type { CacheMissExplanation } from '../cache/miss-explanation';
import type { StepContext } from './step-context';
import type { StepBase } from './step-base';
import type { ModelConfig } from '../configs/model-config';

/** An input given to a step: a local path, a URI (`inputs://raw.csv`) or an {@link Artifact}. */
export type InputRef = string | Artifact;

/** `reuse` (default) · `overwrite` (always execute) · `readonly` (reuse hits, persist nothing new). */
export type CacheMode = 'reuse' | 'overwrite' | 'readonly';

export type { CacheHydration } from '../metadata/step-metadata-types';
import type { CacheHydration } from '../metadata/step-metadata-types';

/** Options of `tracker.run` shared by class and function steps (API.md §2). */
export interface RunStepOptions<C = unknown> extends RunMetadataOptions {
  inputs?: Record<string, InputRef>;
  /** The step's config: a plain object, a config-class instance, or a model config (`activitysimConfig`, `beamConfig`). */
  config?: (C extends Record<string, never> ? Record<string, unknown> : Partial<C> | C) | ModelConfig;
  /** Extra files hashed into the signature (e.g. `config.yaml`). */
  dependsOn?: string[];
  /** Passed to the step as `ctx.runtime`; never hashed. */
  runtime?: Record<string, unknown>;
  /** Explicit run id (default: `<name>_<timestamp>_<random>`). */
  runId?: string;
  cacheMode?: CacheMode;
  cacheHydration?: CacheHydration;
  /** With `outputs-requested`: output key → destination path. */
  hydrateTo?: Record<string, string>;
  /** With `outputs-all`: destination folder. */
  hydrateDir?: string;
  /** Per-call cache version (adds to `@Step({ cacheVersion })`). */
  cacheVersion?: number;
  /** @internal scenario-level epoch override. */
  cacheEpoch?: number;
  /** Config keys (dotted paths) copied into the run facet, added to `@Step({ facetFrom })` (API.md §11). */
  facetFrom?: readonly string[];
}

/** The outputs a step class returns, as artifacts. */
export type StepOutputs<S> = S extends abstract new (...args: never[]) => infer I
  ? I extends { run(...args: never[]): Promise<infer R> }
    ? { [K in keyof R & string]: Artifact }
    : Record<string, Artifact>
  : Record<string, Artifact>;

/** The config type of a `StepBase<C>` class. */
export type StepConfig<S> = S extends abstract new (...args: never[]) => StepBase<infer C> ? C : unknown;

/** Result of `tracker.run`: the run, whether it was a hit, and its outputs by key. */
export interface RunResult<O = Record<string, Artifact>> {
  run: Run;
  cacheHit: boolean;
  outputs: O;
  /** On a miss: why no earlier run matched. */
  cacheMissReason?: CacheMissExplanation;
}

/** Inputs handed to a function step, by key. */
export type FunctionInputs = Record<string, Table | string | Artifact | undefined>;

/** The functional form: `tracker.run({ name, fn, inputs, outputs, config })`. */
export interface FunctionStepOptions<C = Record<string, unknown>> extends RunStepOptions<C> {
  name: string;
  fn: (inputs: FunctionInputs, ctx: StepContext & { config: C }) => Promise<unknown> | unknown;
  outputs?: StepOptions['outputs'];
  /** How inputs are passed to `fn`. Default `'path'`. */
  inputBinding?: InputBinding;
  codeVersion?: string;
}

const MODES = ['reuse', 'overwrite', 'readonly'];
const HYDRATIONS = ['metadata', 'outputs-requested', 'outputs-all', 'inputs-missing'];
const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rejects malformed options (plain-JS callers included) with `CONFIGURATION_INVALID` before any side effect. @internal */
export function assertRunStepOptions(o: RunStepOptions): void {
  if (!isObj(o)) throw ConfigurationError.invalidOption('options', o, 'an object');
  assertRunMetadata(o);
  if (o.inputs !== undefined && !isObj(o.inputs)) throw ConfigurationError.invalidOption('inputs', o.inputs, 'an object of key → path, URI or Artifact');
  for (const [k, v] of Object.entries(o.inputs ?? {})) {
    if (typeof v !== 'string' && !(isObj(v) && typeof (v as Artifact).uri === 'string')) {
      throw ConfigurationError.invalidOption(`inputs.${k}`, v, 'a path, URI or Artifact');
    }
  }
  if (o.dependsOn !== undefined && (!Array.isArray(o.dependsOn) || o.dependsOn.some((d) => typeof d !== 'string'))) {
    throw ConfigurationError.invalidOption('dependsOn', o.dependsOn, 'an array of paths');
  }
  if (o.runtime !== undefined && !isObj(o.runtime)) throw ConfigurationError.invalidOption('runtime', o.runtime, 'an object');
  if (o.cacheMode !== undefined && !MODES.includes(o.cacheMode)) throw ConfigurationError.invalidOption('cacheMode', o.cacheMode, MODES.join(' | '));
  if (o.cacheHydration !== undefined && !HYDRATIONS.includes(o.cacheHydration)) {
    throw ConfigurationError.invalidOption('cacheHydration', o.cacheHydration, HYDRATIONS.join(' | '));
  }
  if (o.cacheHydration === 'outputs-requested' && !isObj(o.hydrateTo)) {
    throw ConfigurationError.invalidOption('hydrateTo', o.hydrateTo, "an object of output key → path (required by 'outputs-requested')");
  }
  if (o.cacheHydration === 'outputs-all' && typeof o.hydrateDir !== 'string') {
    throw ConfigurationError.invalidOption('hydrateDir', o.hydrateDir, "a folder path (required by 'outputs-all')");
  }
  if (o.cacheVersion !== undefined && !Number.isInteger(o.cacheVersion)) throw ConfigurationError.invalidOption('cacheVersion', o.cacheVersion, 'an integer');
}
