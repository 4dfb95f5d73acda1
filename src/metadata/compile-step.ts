import { Arrow } from '../util/arrow-lib';
import { MetadataError } from '../errors';
import { assertArtifactKey } from '../model/artifact-key';
import { type Constructor, metadataKey, parameterTypes, readOwn } from './registry';
import { getInputParams, getStepMetadata, type InputBinding, type OutputSpec, type StepOptions } from './step-metadata';

/** Marker a class carries to be bound as the step context (set by `StepContext`). */
export const STEP_CONTEXT_MARK = Symbol.for('consist:step-context');

/** One compiled output. */
export interface OutputDefinition { readonly key: string; readonly required: boolean; readonly schema: Function | null }

/** How one `run()` parameter is filled. */
export type ParamDefinition =
  | { readonly index: number; readonly kind: 'input'; readonly key: string; readonly as: InputBinding; readonly optional: boolean }
  | { readonly index: number; readonly kind: 'context' };

/** The compiled, frozen form of a step: the only form `runtime/` consumes. */
export interface StepDefinition {
  readonly target: Constructor | null;
  readonly name: string;
  readonly outputs: readonly OutputDefinition[];
  /** False when the step declared no outputs (anything returned is logged under its own key). */
  readonly declaresOutputs: boolean;
  readonly configClass: Constructor | null;
  readonly codeVersion: string | null;
  readonly cacheVersion: number;
  readonly model: string | null;
  /** Config keys copied into the run facet. */
  readonly facetFrom: readonly string[];
  readonly params: readonly ParamDefinition[];
  readonly captureDir: string | null;
  readonly capturePattern: string | null;
}

const cache = new WeakMap<Function, StepDefinition>();

/** Compiles a `@Step` class once into a frozen {@link StepDefinition}; invalid declarations are `MetadataError`s. */
export function compileStep(target: Function): StepDefinition {
  const hit = cache.get(target);
  if (hit) return hit;
  const meta = getStepMetadata(target);
  if (!meta) throw MetadataError.missingDecorator(target, '@Step');
  const { options } = meta;
  const def = definitionFromOptions(options, target as Constructor, compileParams(target));
  cache.set(target, def);
  return def;
}

/** Builds a definition from options (also used for the functional `tracker.run({ fn })` form). @internal */
export function definitionFromOptions(options: StepOptions, target: Constructor | null, params: readonly ParamDefinition[]): StepDefinition {
  const owner = target ?? options.name ?? 'step';
  if (options.cacheVersion !== undefined && !Number.isInteger(options.cacheVersion)) {
    throw MetadataError.invalidOption(owner, 'cacheVersion', 'expected an integer');
  }
  if (options.codeVersion !== undefined && typeof options.codeVersion !== 'string') {
    throw MetadataError.invalidOption(owner, 'codeVersion', 'expected a string');
  }
  for (const k of ['captureDir', 'capturePattern'] as const) {
    if (options[k] !== undefined && (typeof options[k] !== 'string' || !options[k])) throw MetadataError.invalidOption(owner, k, 'expected a non-empty string');
  }
  if (options.facetFrom !== undefined && (!Array.isArray(options.facetFrom) || !options.facetFrom.every((k) => typeof k === 'string' && k))) {
    throw MetadataError.invalidOption(owner, 'facetFrom', 'expected a list of config keys');
  }
  if (options.config !== undefined && typeof options.config !== 'function') {
    throw MetadataError.invalidOption(owner, 'config', 'expected a class');
  }
  return Object.freeze({
    target,
    name: options.name ?? target?.name ?? 'step',
    outputs: Object.freeze(compileOutputs(owner, options.outputs)),
    declaresOutputs: options.outputs !== undefined,
    configClass: options.config ?? null,
    codeVersion: options.codeVersion ?? null,
    cacheVersion: options.cacheVersion ?? 0,
    model: options.model ?? null,
    facetFrom: Object.freeze([...(options.facetFrom ?? [])]),
    params: Object.freeze(params),
    captureDir: options.captureDir ?? null,
    capturePattern: options.capturePattern ?? null,
  });
}

function compileOutputs(owner: Function | string, outputs: StepOptions['outputs']): OutputDefinition[] {
  if (outputs === undefined) return [];
  const entries: Array<[string, OutputSpec | boolean]> = Array.isArray(outputs)
    ? (outputs as string[]).map((k) => [k, true])
    : typeof outputs === 'object' && outputs !== null
      ? Object.entries(outputs as Record<string, OutputSpec | boolean>)
      : (() => { throw MetadataError.invalidOption(owner, 'outputs', 'expected an array of keys or an object of key → spec'); })();
  const seen = new Set<string>();
  return entries.map(([key, spec]) => {
    try {
      assertArtifactKey(key);
    } catch (err) {
      throw MetadataError.invalidOption(owner, `outputs.${String(key)}`, (err as Error).message);
    }
    if (seen.has(key)) throw MetadataError.duplicateKey(owner, 'output', key);
    seen.add(key);
    if (typeof spec !== 'boolean' && (typeof spec !== 'object' || spec === null)) {
      throw MetadataError.invalidOption(owner, `outputs.${key}`, 'expected true, false or { required?, schema? }');
    }
    const s: OutputSpec = typeof spec === 'boolean' ? { required: spec } : spec;
    return Object.freeze({ key, required: s.required ?? true, schema: resolveSchema(owner, key, s.schema) });
  });
}

function resolveSchema(owner: Function | string, key: string, ref: OutputSpec['schema']): Function | null {
  if (ref === undefined) return null;
  const cls = typeof ref === 'function' && !ref.prototype ? (ref as () => Function)() : ref;
  if (typeof cls !== 'function' || readOwn(metadataKey('table'), cls) === undefined) {
    throw MetadataError.unknownTable(owner, `the schema of output '${key}'`);
  }
  return cls;
}

/** The class in the prototype chain that declares `run()` itself: its @Input records apply (inheritance). */
function runOwner(target: Function): Function {
  let owner: Function | null = target;
  while (owner && owner !== Function.prototype && !Object.prototype.hasOwnProperty.call(owner.prototype, 'run')) {
    owner = Object.getPrototypeOf(owner) as Function | null;
  }
  return owner && owner !== Function.prototype ? owner : target;
}

function compileParams(target: Function): ParamDefinition[] {
  const run = (target.prototype as Record<string, unknown>).run;
  if (typeof run !== 'function') throw MetadataError.invalidOption(target, 'run', 'a @Step class needs an async run() method');
  const owner = runOwner(target);
  const types = parameterTypes(owner, 'run') ?? [];
  const inputs = getInputParams(owner);
  const count = Math.max(run.length, types.length, ...inputs.map((i) => i.index + 1));
  const seen = new Set<string>();
  const params: ParamDefinition[] = [];
  for (let index = 0; index < count; index++) {
    const input = inputs.find((i) => i.index === index);
    const type = types[index] as Record<symbol, unknown> | undefined;
    if (input) {
      if (seen.has(input.key)) throw MetadataError.duplicateKey(target, 'input', input.key);
      seen.add(input.key);
      params.push(Object.freeze({ index, kind: 'input', key: input.key, as: input.as ?? bindingFor(type), optional: input.optional }));
    } else if (type && type[STEP_CONTEXT_MARK]) {
      params.push(Object.freeze({ index, kind: 'context' }));
    } else {
      throw MetadataError.unboundParameter(target, 'run', index);
    }
  }
  return params;
}

/** `arrow.Table` → loaded table; `String` → local path; anything else (e.g. the `Artifact` interface) → the record. */
function bindingFor(type: unknown): InputBinding {
  if (type === String) return 'path';
  // The name test first: comparing a `String` or interface (`Object`) parameter to Arrow.Table would
  // load Arrow in every process that compiles a step, cache hits and sweep workers included.
  if (typeof type === 'function' && type.name === 'Table' && type === Arrow.Table) return 'table';
  return 'artifact';
}
