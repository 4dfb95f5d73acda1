import { ViewError } from '../errors';
import type { RunStatus } from '../model';

/** Options of `tracker.createGroupedView` (API.md §5). Exactly one of `schemaId` / `schema`. */
export interface GroupedViewOptions {
  schemaId?: string;
  /** A `@Table` class: selects its schema id and stored schemas with exactly its field names. */
  schema?: Function;
  /** Default namespace of `params` and `attachFacets` without a `ns.` prefix. */
  namespace?: string;
  /** Facet predicates `key=value`, `key>=n`, `key<=n`, optionally `ns.key…`; combined with AND. */
  params?: readonly string[];
  /** Only artifacts with these drivers (`parquet`, `csv`). */
  drivers?: readonly string[];
  /** Facet keys that become typed `facet_<key>` columns. */
  attachFacets?: readonly string[];
  /** Add `consist_run_id`, `consist_artifact_id`, `consist_year`, `consist_iteration`, `consist_scenario_id`. Default true. */
  includeSystemColumns?: boolean;
  /** Default `hybrid` (ingested rows from `hot`, other files read cold). */
  mode?: 'hybrid' | 'hot_only' | 'cold_only';
  /** Default `replace`; `error` throws `VIEW_EXISTS` when the view exists. */
  ifExists?: 'replace' | 'error';
  /** Default `warn`; `error` throws `VIEW_FILES_MISSING`; `skip_silent` skips without a log. */
  missingFiles?: 'warn' | 'error' | 'skip_silent';
  /** Also select schemas of the same table name whose field names are a subset or superset. */
  schemaCompatible?: boolean;
  runId?: string;
  parentRunId?: string;
  model?: string;
  status?: RunStatus;
  year?: number;
  iteration?: number;
}

/** {@link GroupedViewOptions} with defaults applied. @internal */
export type ResolvedGroupedOptions = GroupedViewOptions & Required<Pick<GroupedViewOptions,
  'params' | 'attachFacets' | 'includeSystemColumns' | 'mode' | 'ifExists' | 'missingFiles' | 'schemaCompatible'>>;

const check = <T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw ViewError.selectionInvalid(`${name} must be ${allowed.map((a) => `'${a}'`).join(' | ')}, got '${String(value)}'`);
  return value;
};

const stringList = (name: string, value: readonly string[] | undefined): readonly string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw ViewError.selectionInvalid(`${name} must be a list of strings`);
  if (name !== 'params' && value.some((v) => !v || v.includes('\u0000'))) {
    throw ViewError.selectionInvalid(`${name} must not contain empty strings or NUL characters`);
  }
  return value;
};

/** Validates grouped view options before anything runs. @internal */
export function resolveGroupedOptions(o: GroupedViewOptions): ResolvedGroupedOptions {
  if (!o || typeof o !== 'object') throw ViewError.selectionInvalid('options must be an object');
  if ((o.schemaId === undefined) === (o.schema === undefined)) throw ViewError.selectionInvalid('provide exactly one of schemaId or schema');
  if (o.schemaId !== undefined && (typeof o.schemaId !== 'string' || !o.schemaId)) throw ViewError.selectionInvalid('schemaId must be a non-empty string');
  if (o.schema !== undefined && typeof o.schema !== 'function') throw ViewError.selectionInvalid('schema must be a @Table class');
  assertRunFilters(o);
  return {
    ...o,
    params: stringList('params', o.params),
    attachFacets: stringList('attachFacets', o.attachFacets),
    drivers: o.drivers === undefined ? undefined : stringList('drivers', o.drivers),
    includeSystemColumns: o.includeSystemColumns ?? true,
    schemaCompatible: o.schemaCompatible ?? false,
    mode: check('mode', o.mode, ['hybrid', 'hot_only', 'cold_only'] as const, 'hybrid'),
    ifExists: check('ifExists', o.ifExists, ['replace', 'error'] as const, 'replace'),
    missingFiles: check('missingFiles', o.missingFiles, ['warn', 'error', 'skip_silent'] as const, 'warn'),
  };
}

/** Throws `VIEW_NAME_INVALID` for names that cannot be a view (empty, NUL, > 255 chars). @internal */
export function assertViewName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !name) throw ViewError.nameInvalid(name, 'expected a non-empty string');
  if (name.includes('\u0000')) throw ViewError.nameInvalid(name, 'it contains a NUL character');
  if (name.length > 255) throw ViewError.nameInvalid(name, 'it is longer than 255 characters');
}

const STATUSES: readonly string[] = ['running', 'completed', 'failed'];

/** The run filters and flags of plain-JS callers: strings, integers, booleans, a known status. */
function assertRunFilters(o: GroupedViewOptions): void {
  for (const k of ['runId', 'parentRunId', 'model', 'namespace'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw ViewError.selectionInvalid(`${k} must be a string`);
  }
  for (const k of ['year', 'iteration'] as const) {
    if (o[k] !== undefined && !Number.isInteger(o[k])) throw ViewError.selectionInvalid(`${k} must be an integer`);
  }
  for (const k of ['includeSystemColumns', 'schemaCompatible'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'boolean') throw ViewError.selectionInvalid(`${k} must be a boolean`);
  }
  if (o.status !== undefined && !STATUSES.includes(o.status)) throw ViewError.selectionInvalid(`status must be one of ${STATUSES.join(', ')}`);
}
