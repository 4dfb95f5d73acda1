import { ConfigurationError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';

/** A facet and its optional namespace, attached to one output. */
export interface OutputFacet {
  facet?: Record<string, unknown>;
  facetNamespace?: string;
}

/** An external program's output: a path, or `{ path, facet }` (API.md §11). */
export type ExternalOutputSpec = string | ({ path: string } & OutputFacet);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** `CONFIGURATION_INVALID` unless `facet` is a plain, JSON-safe object and `facetNamespace` a non-empty string. @internal */
export function assertOutputFacet(where: string, o: OutputFacet): void {
  if (o.facet !== undefined) {
    if (!isPlainObject(o.facet)) throw ConfigurationError.invalidOption(`${where}.facet`, o.facet, 'a plain object');
    toCanonicalValue(o.facet, `${where}.facet`);
  }
  if (o.facetNamespace !== undefined && (typeof o.facetNamespace !== 'string' || !o.facetNamespace)) {
    throw ConfigurationError.invalidOption(`${where}.facetNamespace`, o.facetNamespace, 'a non-empty string');
  }
}

/**
 * Splits external outputs given as `key → path | { path, facet }` into paths and facets; a bad
 * spec is `CONFIGURATION_INVALID` before anything runs. @internal
 */
export function splitOutputSpecs(outputs: unknown): { paths: Record<string, unknown> | undefined; facets: Record<string, OutputFacet> } {
  if (!isPlainObject(outputs)) return { paths: outputs as Record<string, unknown> | undefined, facets: {} };
  const paths: Record<string, unknown> = {};
  const facets: Record<string, OutputFacet> = {};
  for (const [key, spec] of Object.entries(outputs)) {
    if (!isPlainObject(spec)) {
      paths[key] = spec;
      continue;
    }
    const { path, facet, facetNamespace, ...extra } = spec as { path?: unknown } & OutputFacet & Record<string, unknown>;
    const unknown = Object.keys(extra);
    if (unknown.length) throw ConfigurationError.invalidOption(`outputs.${key}.${unknown[0]}`, extra[unknown[0]], 'one of path, facet, facetNamespace');
    assertOutputFacet(`outputs.${key}`, { facet, facetNamespace });
    paths[key] = path;
    facets[key] = { facet, facetNamespace };
  }
  return { paths, facets };
}

/** Present output paths, with their facets attached as `{ path, facet }` where one was given. @internal */
export function attachOutputFacets(present: Record<string, string>, facets: Record<string, OutputFacet>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(present).map(([k, p]) => [k, facets[k] ? { path: p, ...facets[k] } : p]));
}

/**
 * A value a step returned for one output: either the value itself, or `{ data | path, facet,
 * facetNamespace? }` (API.md §11). Only an object whose keys are all among those is unwrapped. @internal
 */
export function unwrapOutputValue(v: unknown, key: string): { value: unknown } & OutputFacet {
  if (!isPlainObject(v) || !('facet' in v || 'facetNamespace' in v) || !('data' in v || 'path' in v)) return { value: v };
  const { data, path, facet, facetNamespace, ...extra } = v as { data?: unknown; path?: unknown } & OutputFacet;
  if (Object.keys(extra).length || (data !== undefined && path !== undefined)) {
    throw ConfigurationError.invalidOption(`outputs.${key}`, v, '{ data | path, facet, facetNamespace? }');
  }
  assertOutputFacet(`outputs.${key}`, { facet, facetNamespace });
  return { value: data ?? path, facet: facet as Record<string, unknown> | undefined, facetNamespace };
}
