import type { Constructor } from './registry';
import { metadataKey, readOwn, writeOwn } from './registry';

/** How an input is handed to a step's `run()` parameter. */
export type InputBinding = 'table' | 'path' | 'artifact';

/** One declared output: `required` (default true) and an optional `@Table` schema. */
export interface OutputSpec {
  required?: boolean;
  /** A `@Table` class, or a thunk returning one (to survive import cycles). */
  schema?: Function | (() => Function);
  description?: string;
}

/** What users write in `@Step(...)`. */
export interface StepOptions {
  /** Run name; defaults to the class name. */
  name?: string;
  /** Declared outputs: a list of keys, or key → spec. */
  outputs?: readonly string[] | Readonly<Record<string, OutputSpec | boolean>>;
  /** A class with class-validator rules; `this.config` is an instance of it. */
  config?: Constructor;
  /** Pins the code identity: bump it when the step's behaviour changes. */
  codeVersion?: string;
  /** Bumps this step's cache without touching code or config. */
  cacheVersion?: number;
  /** Default model name for runs of this step. */
  model?: string;
  /** Config keys (dotted paths) whose values are copied into every run's facet (API.md §11). */
  facetFrom?: readonly string[];
  /** A folder the step always writes into; files it creates there become outputs. */
  captureDir?: string;
  /** Glob-like pattern (`*.csv`) selecting captured files. */
  capturePattern?: string;
  description?: string;
}

/** What `@Input(key, opts)` records for one parameter of `run()`. */
export interface InputParamMetadata {
  index: number;
  key: string;
  as?: InputBinding;
  optional: boolean;
}

/** What `@Step` records. */
export interface StepMetadata { target: Constructor; options: StepOptions }

const STEP = metadataKey<StepMetadata>('step');
const INPUTS = metadataKey<readonly InputParamMetadata[]>('step-inputs');

/** The `@Step` record of a class, or undefined. */
export const getStepMetadata = (target: Function): StepMetadata | undefined => readOwn(STEP, target);

/** Records `@Step` options. @internal */
export const defineStepMetadata = (target: Constructor, value: StepMetadata): void => writeOwn(STEP, target, value);

/** True when `value` is a class decorated with `@Step`. */
export const isStepClass = (value: unknown): value is Constructor =>
  typeof value === 'function' && getStepMetadata(value) !== undefined;

/** `@Input` records of a step class's `run()` parameters. */
export const getInputParams = (target: Function): readonly InputParamMetadata[] => readOwn(INPUTS, target) ?? [];

/** Adds one `@Input` record (copy-on-write). @internal */
export function addInputParam(target: Function, param: InputParamMetadata): void {
  writeOwn(INPUTS, target, [...getInputParams(target), Object.freeze(param)]);
}
