import type { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactError, ConfigurationError } from '../errors';
import { compileTable } from '../metadata/compile-table';
import type { Artifact } from '../model';
import type { SqlExecutor } from '../provenance/executor';
import { rowToArtifact } from '../provenance/row-mapping';
import { facetPredicateSql, parseFacetPredicate } from '../views/facet-predicate';

/**
 * What names one artifact (API.md §11): an {@link Artifact}, its id, a URI (`inputs://x.csv`, the
 * newest artifact recorded there), a key (the newest artifact with it), or `{ key, runId }` (the
 * artifact that run produced — else read — under that key).
 */
export type ArtifactLookup = Artifact | string | { key: string; runId?: string };

/** Options of `tracker.findArtifacts` (API.md §11). Every given filter must match. */
export interface FindArtifactsOptions {
  /** Facet predicates (`key=value`, `key>=n`, `ns.key<=n`), ANDed; bare keys use `namespace`. */
  params?: readonly string[];
  /** Only artifacts faceted in this namespace, or produced by a run of this model. Omitted: any. */
  namespace?: string;
  /** Only keys starting with this text. */
  keyPrefix?: string;
  /** A schema id or a `@Table` class. */
  schema?: string | Function;
  /** At most this many (newest first). */
  limit?: number;
}

const URI = /^[a-z][a-z0-9+.-]*:\/\//i;
const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Artifact lookups by id, URI, key, key + run, and by facets. @internal */
export class ArtifactLookups {
  constructor(private readonly db: SqlExecutor, private readonly artifacts: ArtifactStore) {}

  /** Resolves an {@link ArtifactLookup}; `ARTIFACT_NOT_FOUND` when nothing matches. */
  async get(ref: ArtifactLookup): Promise<Artifact> {
    const asArtifact = ref as Partial<Artifact>;
    if (isPlainObject(ref) && typeof asArtifact.id === 'string' && typeof asArtifact.uri === 'string') return ref as Artifact;
    if (isPlainObject(ref)) return this.byKey(ref as { key: unknown; runId?: unknown });
    if (typeof ref !== 'string' || !ref) throw ConfigurationError.invalidOption('artifact', ref, 'an artifact id, URI, key, { key, runId } or an Artifact');
    const byId = await this.db.all('SELECT * FROM artifact WHERE id = ?', [ref]);
    if (byId[0]) return this.artifacts.withPath(rowToArtifact(byId[0]));
    const column = URI.test(ref) ? 'uri' : 'key';
    const rows = await this.db.all(`SELECT * FROM artifact WHERE ${column} = ? ORDER BY created_at DESC, id DESC LIMIT 1`, [ref]);
    if (!rows[0]) throw ArtifactError.notFound(ref, 'No artifact has this id, URI or key; list them with `consist artifacts`.');
    return this.artifacts.withPath(rowToArtifact(rows[0]));
  }

  private async byKey(ref: { key: unknown; runId?: unknown }): Promise<Artifact> {
    const extra = Object.keys(ref).filter((k) => k !== 'key' && k !== 'runId');
    if (typeof ref.key !== 'string' || !ref.key || extra.length) {
      throw ConfigurationError.invalidOption('artifact', ref, '{ key, runId? } with a non-empty key');
    }
    if (ref.runId === undefined) return this.get(ref.key);
    if (typeof ref.runId !== 'string' || !ref.runId) throw ConfigurationError.invalidOption('runId', ref.runId, 'a run id');
    const rows = await this.db.all(
      `SELECT a.* FROM run_artifact_link AS l JOIN artifact AS a ON a.id = l.artifact_id
       WHERE l.run_id = ? AND l.key = ? ORDER BY l.direction DESC LIMIT 1`, [ref.runId, ref.key]);
    if (!rows[0]) throw ArtifactError.notFound(`${ref.runId}/${ref.key}`, `Run '${ref.runId}' has no artifact under key '${ref.key}'; see \`consist artifacts ${ref.runId}\`.`);
    return this.artifacts.withPath(rowToArtifact(rows[0]));
  }

  /** Artifacts matching every filter, newest first. Bad options are typed errors before any SQL runs. */
  async find(options: FindArtifactsOptions = {}): Promise<Artifact[]> {
    const o = assertFindArtifacts(options);
    const clauses: string[] = [];
    const params: unknown[] = [];
    for (const expr of o.params ?? []) {
      const p = facetPredicateSql(parseFacetPredicate(expr, o.namespace ?? null));
      clauses.push(p.sql);
      params.push(...p.params);
    }
    if (o.namespace !== undefined) {
      clauses.push('(EXISTS (SELECT 1 FROM artifact_kv AS nkv WHERE nkv.artifact_id = a.id AND nkv.namespace = ?) OR r.model = ?)');
      params.push(o.namespace, o.namespace);
    }
    if (o.keyPrefix !== undefined) {
      clauses.push('starts_with(a.key, ?)');
      params.push(o.keyPrefix);
    }
    if (o.schema !== undefined) {
      const id = typeof o.schema === 'function' ? compileTable(o.schema).schemaId : o.schema;
      clauses.push('(a.schema_id = ? OR EXISTS (SELECT 1 FROM artifact_schema_observation AS so WHERE so.artifact_id = a.id AND so.schema_id = ?))');
      params.push(id, id);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const limit = o.limit === undefined ? '' : ` LIMIT ${o.limit}`;
    const rows = await this.db.all(
      `SELECT a.* FROM artifact AS a LEFT JOIN run AS r ON r.id = a.run_id ${where} ORDER BY a.created_at DESC, a.id DESC${limit}`, params);
    return rows.map((r) => this.artifacts.withPath(rowToArtifact(r)));
  }
}

const FIND_KEYS = ['params', 'namespace', 'keyPrefix', 'schema', 'limit'];

/** `CONFIGURATION_INVALID` for unknown or mistyped `findArtifacts` options; predicates are parsed later (`FACET_PREDICATE_INVALID`). */
function assertFindArtifacts(o: FindArtifactsOptions): FindArtifactsOptions {
  if (!isPlainObject(o)) throw ConfigurationError.invalidOption('options', o, 'an object ({ params, namespace, keyPrefix, schema, limit })');
  for (const k of Object.keys(o)) if (!FIND_KEYS.includes(k)) throw ConfigurationError.invalidOption(k, (o as Record<string, unknown>)[k], `a known option (${FIND_KEYS.join(', ')})`);
  if (o.params !== undefined && (!Array.isArray(o.params) || !o.params.every((p) => typeof p === 'string'))) {
    throw ConfigurationError.invalidOption('params', o.params, "a list of predicates ('year=2018', 'beam.iteration>=2')");
  }
  for (const k of ['namespace', 'keyPrefix'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw ConfigurationError.invalidOption(k, o[k], 'a string');
  }
  if (o.schema !== undefined && !(typeof o.schema === 'function' || (typeof o.schema === 'string' && o.schema))) {
    throw ConfigurationError.invalidOption('schema', o.schema, 'a schema id or a @Table class');
  }
  if (o.limit !== undefined && !(Number.isSafeInteger(o.limit) && o.limit >= 0)) throw ConfigurationError.invalidOption('limit', o.limit, 'an integer ≥ 0');
  for (const p of o.params ?? []) parseFacetPredicate(p, o.namespace ?? null);
  return o;
}
