import { ConfigurationError } from '../errors';
import { toCanonicalValue } from '../identity/canonical';
import type { Logger } from '../util/logger';

/**
 * Derives an artifact's facet from its key (and local path), e.g. `linkstats_iter_3` →
 * `{ iteration: 3 }`. Return `undefined`/`null` for "no facet". See `Tracker.open({ artifactFacetParsers })`.
 */
export type ArtifactFacetParser = (key: string, info: { path: string }) => Record<string, unknown> | null | undefined;

/** Key prefix → parser. */
export type ArtifactFacetParsers = Readonly<Record<string, ArtifactFacetParser>>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `CONFIGURATION_INVALID` unless `parsers` is an object of non-empty key prefix → function. @internal */
export function assertFacetParsers(parsers: unknown): asserts parsers is ArtifactFacetParsers | undefined {
  if (parsers === undefined) return;
  if (!isPlainObject(parsers)) throw ConfigurationError.invalidOption('artifactFacetParsers', parsers, 'an object of key prefix → (key) => facet');
  for (const [prefix, fn] of Object.entries(parsers)) {
    if (!prefix) throw ConfigurationError.invalidOption('artifactFacetParsers', parsers, 'non-empty key prefixes');
    if (typeof fn !== 'function') throw ConfigurationError.invalidOption(`artifactFacetParsers.${prefix}`, fn, 'a function (key) => facet');
  }
}

/**
 * Applies `artifactFacetParsers` (API.md §11): the parser of the longest key prefix that matches
 * runs; its facet is the base that an explicitly given facet overrides key by key. A parser that
 * throws, or returns anything but a plain JSON-safe object (or null/undefined), is logged with a
 * warning and skipped: the artifact is still logged, without a parsed facet.
 */
export class FacetParsers {
  private readonly byLength: Array<[string, ArtifactFacetParser]>;

  constructor(parsers: ArtifactFacetParsers, private readonly logger: Logger) {
    this.byLength = Object.entries(parsers).sort((a, b) => b[0].length - a[0].length);
  }

  /** The parsed facet for `key`, or undefined (no parser, no facet, or a failing parser). */
  facetFor(key: string, path: string): Record<string, unknown> | undefined {
    const match = this.byLength.find(([prefix]) => key.startsWith(prefix));
    if (!match) return undefined;
    const [prefix, parse] = match;
    let facet: unknown;
    try {
      facet = parse(key, { path });
      if (facet === undefined || facet === null) return undefined;
      if (!isPlainObject(facet)) return this.skip(prefix, key, `it returned ${Array.isArray(facet) ? 'an array' : typeof facet}, not an object`);
      toCanonicalValue(facet, 'facet');
    } catch (err) {
      return this.skip(prefix, key, err instanceof Error ? err.message.split('\n')[0] : String(err));
    }
    return facet as Record<string, unknown>;
  }

  /** Warns that the parser for `prefix` failed on `key` (for reason `why`); the artifact keeps no parsed facet. */
  private skip(prefix: string, key: string, why: string): undefined {
    this.logger.warn(`Facet parser for prefix '${prefix}' failed on artifact key '${key}' and was skipped: ` +
      `${why}. The artifact is logged without a parsed facet.`);
    return undefined;
  }

  /** `explicit` over the parsed facet, key by key. */
  merge(key: string, path: string, explicit: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    const parsed = this.facetFor(key, path);
    return parsed ? { ...parsed, ...(explicit ?? {}) } : explicit;
  }
}
