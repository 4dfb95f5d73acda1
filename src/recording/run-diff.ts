import { ConfigurationError, RunNotFoundError } from '../errors';
import type { Run } from '../model';
import { flattenFacet, type FACET_LIMITS, type FacetKv } from '../provenance/facet-flatten';
import type { SqlExecutor } from '../provenance/executor';
import { buildRunWhere, type RunFilter } from '../provenance/run-repository';
import { rowToRun } from '../provenance/row-mapping';
import { assertRunFilter } from './run-queries';

/** Options of `tracker.diffRuns` (API.md §11). */
export interface DiffRunsOptions {
  /** Compare facets only when recorded under this namespace (a run's facet: its model). Config is always compared. */
  namespace?: string;
  /** Only keys starting with this text, with or without the `config.` / `facet.` section (`'year'`, `'facet.year'`). */
  prefix?: string;
  /** Also list keys whose values are equal. Default false. */
  includeEqual?: boolean;
}

/** One compared key: its value in run `a` and in run `b` (`null` when the run has no such key). */
export interface RunValueChange { a: unknown; b: unknown }

/** Result of `tracker.diffRuns`: `changes['config.threshold']`, `changes['facet.year']`, … */
export interface RunDiff { a: string; b: string; changes: Record<string, RunValueChange> }

const UNLIMITED = { maxKeys: Number.MAX_SAFE_INTEGER, maxJsonBytes: Number.MAX_SAFE_INTEGER } as unknown as typeof FACET_LIMITS;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kvValue(kv: FacetKv): unknown {
  switch (kv.valueType) {
    case 'str': return kv.valueStr;
    case 'int': case 'float': return kv.valueNum;
    case 'bool': return kv.valueBool;
    case 'json': return JSON.parse(kv.valueJson ?? 'null');
    default: return null;
  }
}

/** `section.<flattened path>` → value, from the run's config and (when in `namespace`) its facet, read from the run record. */
function leaves(run: Run, namespace: string | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const add = (section: string, value: unknown) => {
    if (!isPlainObject(value)) return;
    for (const kv of flattenFacet(value, UNLIMITED).rows) out.set(`${section}.${kv.key}`, kvValue(kv));
  };
  add('config', run.config);
  if (namespace === undefined || (run.model ?? '') === namespace) add('facet', run.facet);
  return out;
}

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

/**
 * Compares two runs' config and facets leaf by leaf (flattened dotted paths, arrays whole).
 * Reads the run records, so facets too large to index are compared as well.
 * @throws RunNotFoundError `RUN_NOT_FOUND` for an unknown run id; `CONFIGURATION_INVALID` for bad options.
 */
export function diffRunRecords(a: Run, b: Run, options: DiffRunsOptions = {}): RunDiff {
  const o = assertDiffOptions(options);
  const la = leaves(a, o.namespace);
  const lb = leaves(b, o.namespace);
  const keys = [...new Set([...la.keys(), ...lb.keys()])].sort();
  const matches = (k: string) => o.prefix === undefined || k.startsWith(o.prefix) || k.slice(k.indexOf('.') + 1).startsWith(o.prefix);
  const changes: Record<string, RunValueChange> = {};
  for (const k of keys) {
    if (!matches(k)) continue;
    const va = la.has(k) ? la.get(k) : null;
    const vb = lb.has(k) ? lb.get(k) : null;
    if (o.includeEqual || !same(va, vb) || la.has(k) !== lb.has(k)) changes[k] = { a: va, b: vb };
  }
  return { a: a.id, b: b.id, changes };
}

function assertDiffOptions(o: DiffRunsOptions): DiffRunsOptions {
  if (!isPlainObject(o)) throw ConfigurationError.invalidOption('options', o, 'an object ({ namespace, prefix, includeEqual })');
  for (const k of Object.keys(o)) {
    if (!['namespace', 'prefix', 'includeEqual'].includes(k)) throw ConfigurationError.invalidOption(k, (o as Record<string, unknown>)[k], 'namespace, prefix or includeEqual');
  }
  for (const k of ['namespace', 'prefix'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw ConfigurationError.invalidOption(k, o[k], 'a string');
  }
  if (o.includeEqual !== undefined && typeof o.includeEqual !== 'boolean') throw ConfigurationError.invalidOption('includeEqual', o.includeEqual, 'true or false');
  return o;
}

/**
 * The latest run matching `filter` (API.md §11): the highest `iteration` first (runs without one
 * last), then the newest start. `RUN_NOT_FOUND` when none matches.
 */
export async function findLatestRun(db: SqlExecutor, filter: RunFilter = {}): Promise<Run> {
  assertRunFilter(filter);
  if (filter.limit !== undefined) throw ConfigurationError.invalidOption('limit', filter.limit, 'no limit (findLatestRun returns one run)');
  const { where, params } = buildRunWhere(filter);
  const rows = await db.all(`SELECT * FROM run ${where} ORDER BY iteration DESC NULLS LAST, started_at DESC, id DESC LIMIT 1`, params);
  if (!rows[0]) throw new RunNotFoundError(JSON.stringify(filter));
  return rowToRun(rows[0]);
}
