import { ConfigurationError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';
import type { StepDefinition } from '../metadata/compile-step';
import type { RunStepOptions } from './run-step-options';

/** Defaults a scenario gives its child runs (`stepTags` / `stepFacet`, API.md §11). @internal */
export interface StepMetadataDefaults {
  stepTags?: readonly string[];
  stepFacet?: Readonly<Record<string, unknown>>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `CONFIGURATION_INVALID` unless `facetFrom` is a list of non-empty config key paths. @internal */
export function assertFacetFrom(facetFrom: unknown, option = 'facetFrom'): asserts facetFrom is readonly string[] | undefined {
  if (facetFrom === undefined) return;
  if (!Array.isArray(facetFrom) || !facetFrom.every((k) => typeof k === 'string' && k !== '')) {
    throw ConfigurationError.invalidOption(option, facetFrom, "a list of config keys (['year', 'scenario.name'])");
  }
}

/** `CONFIGURATION_INVALID` for bad scenario `stepTags` / `stepFacet`. @internal */
export function assertStepDefaults(o: StepMetadataDefaults): void {
  if (o.stepTags !== undefined && (!Array.isArray(o.stepTags) || !o.stepTags.every((t) => typeof t === 'string'))) {
    throw ConfigurationError.invalidOption('stepTags', o.stepTags, 'an array of strings');
  }
  if (o.stepFacet !== undefined) {
    if (!isPlainObject(o.stepFacet)) throw ConfigurationError.invalidOption('stepFacet', o.stepFacet, 'a plain object');
    toCanonicalValue(o.stepFacet, 'stepFacet');
  }
}

/** The value at a dotted path of a plain config object, or `undefined`. */
function pick(config: unknown, keyPath: string): unknown {
  let v: unknown = config;
  for (const seg of keyPath.split('.')) {
    if (!isPlainObject(v) || !(seg in v)) return undefined;
    v = v[seg];
  }
  return v;
}

/**
 * The run's facet and tags after defaults: values copied from the config by `facetFrom` (the
 * step's and the call's), the scenario's `stepFacet` under them, and the call's own `facet` on top
 * (own values win). Tags: the scenario's `stepTags` plus the step's own, deduplicated. A
 * `facetFrom` key missing from the config (`year` / `iteration` fall back to the run's own) is
 * `CONFIGURATION_INVALID`, before anything runs.
 * @internal
 */
export function withRunFacetDefaults(def: StepDefinition, options: RunStepOptions, config: object, defaults: StepMetadataDefaults = {}): RunStepOptions {
  const keys = [...(def.facetFrom ?? []), ...(options.facetFrom ?? [])];
  if (!keys.length && !defaults.stepFacet && !defaults.stepTags?.length) return options;
  const plain = JSON.parse(JSON.stringify(config ?? {})) as Record<string, unknown>;
  const copied: Record<string, unknown> = {};
  for (const key of keys) {
    const value = pick(plain, key) ?? (key === 'year' || key === 'iteration' ? options[key] : undefined);
    if (value === undefined) {
      throw ConfigurationError.invalidOption(`facetFrom.${key}`, key, `a key of the step's config (${Object.keys(plain).join(', ') || 'the config is empty'})`);
    }
    copied[key] = value;
  }
  const facet = { ...(defaults.stepFacet ?? {}), ...copied, ...(options.facet ?? {}) };
  const tags = defaults.stepTags?.length ? [...new Set([...defaults.stepTags, ...(options.tags ?? [])])] : options.tags;
  return { ...options, facet: Object.keys(facet).length ? facet : options.facet, tags };
}
