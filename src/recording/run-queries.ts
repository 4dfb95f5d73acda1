import type { Artifact, Run, RunKind, RunStatus } from '../model';
import { AmbiguousRunError, ArtifactError, ConfigurationError, RunNotFoundError } from '../errors';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { RunFilter, RunRepository } from '../provenance/run-repository';
import { assertArtifactRef } from '../model/artifact-ref';
import type { RunNames } from './run-names';

/** How many matching run ids an ambiguous `findRun` reports. */
const FIND_RUN_IDS = 50;

/** Filters of `findRuns` / `findRun` (API.md §6). */
export type FindRunsOptions = RunFilter;

/** A run's artifacts keyed by the key under which the run used them. */
export interface RunArtifacts { inputs: Record<string, Artifact>; outputs: Record<string, Artifact> }

/** One node of a lineage tree: an artifact, and the run that produced it with that run's inputs. */
export interface LineageNode {
  artifact: Artifact;
  producer: { run: Run; inputs: LineageNode[] } | null;
  /** True when the tree stopped here because of `maxDepth` or a cycle. */
  truncated?: boolean;
}

/** Read-side queries over runs, artifacts and lineage. */
export class RunQueries {
  constructor(
    private readonly runs: RunRepository,
    private readonly artifactRows: ArtifactRepository,
    private readonly artifacts: ArtifactStore,
    /** Run ids as names: a name resolves to its newest execution (API.md §10). */
    private readonly names: RunNames,
  ) {}

  /** A run by id; a name with several executions resolves to the newest. */
  async getRun(id: string): Promise<Run | undefined> {
    assertId('runId', id);
    return this.runs.get(await this.names.resolve(id));
  }

  /** Every execution under the name `id` belongs to, newest first; `RUN_NOT_FOUND` for an unknown id. */
  async runHistory(id: string): Promise<Run[]> {
    assertId('runId', id);
    return this.names.history(id);
  }

  /** Matching runs, newest first; `id`/`parentId` names resolve to their newest execution, and of each name only its newest matching execution is kept. */
  async findRuns(filter: FindRunsOptions = {}): Promise<Run[]> {
    assertRunFilter(filter);
    return this.names.newestOnly(await this.runs.find(await this.resolveFilter(filter)));
  }

  private async resolveFilter(filter: FindRunsOptions): Promise<FindRunsOptions> {
    const out = { ...filter };
    if (typeof filter.id === 'string') out.id = await this.names.resolve(filter.id);
    if (typeof filter.parentId === 'string') out.parentId = await this.names.resolve(filter.parentId);
    return out;
  }

  /** Runs keyed by a field (e.g. `year`); a duplicate key keeps the newest run. */
  async findRunsIndexed<K extends keyof Run>(filter: FindRunsOptions, indexBy: K): Promise<Map<Run[K], Run>> {
    assertRunFilter(filter);
    if (!INDEX_FIELDS.includes(indexBy)) throw ConfigurationError.invalidOption('indexBy', indexBy, INDEX_FIELDS.join(' | '));
    const map = new Map<Run[K], Run>();
    for (const run of await this.findRuns(filter)) if (!map.has(run[indexBy])) map.set(run[indexBy], run);
    return map;
  }

  /** Exactly one run, else `RUN_NOT_FOUND` / `RUN_AMBIGUOUS`. */
  async findRun(filter: FindRunsOptions): Promise<Run> {
    assertRunFilter(filter);
    const found = this.names.newestOnly(await this.runs.find({ ...(await this.resolveFilter(filter)), limit: FIND_RUN_IDS + 1 }));
    const what = JSON.stringify(filter);
    if (found.length === 0) throw new RunNotFoundError(what);
    if (found.length > 1) throw new AmbiguousRunError(what, found.slice(0, FIND_RUN_IDS).map((r) => r.id), found.length > FIND_RUN_IDS);
    return found[0];
  }

  async getArtifactsForRun(name: string): Promise<RunArtifacts> {
    assertId('runId', name);
    const runId = await this.names.resolve(name);
    const out: RunArtifacts = { inputs: {}, outputs: {} };
    const links = await this.artifactRows.forRun(runId);
    // An unknown id is an error (as in `consist artifacts`), not an empty record.
    if (!links.length && !(await this.runs.get(runId))) throw new RunNotFoundError(`run id '${runId}'`);
    for (const l of links) (l.direction === 'input' ? out.inputs : out.outputs)[l.key] = this.artifacts.withPath(l.artifact);
    return out;
  }

  /** Resolves an artifact id (or passes an artifact through). */
  async getArtifact(ref: Artifact | string): Promise<Artifact> {
    assertArtifactRef(ref);
    if (typeof ref !== 'string') return ref;
    const rec = await this.artifactRows.get(ref);
    if (!rec) throw ArtifactError.notFound(ref, 'No artifact has this id; list them with `consist artifacts <run>`.');
    return this.artifacts.withPath(rec);
  }

  /** The producing runs of an artifact and their inputs, recursively, to `maxDepth` levels; cycle-safe. */
  async lineage(ref: Artifact | string, opts: { maxDepth?: number } = {}): Promise<LineageNode> {
    if (typeof opts !== 'object' || opts === null) throw ConfigurationError.invalidOption('options', opts, 'an object ({ maxDepth })');
    const maxDepth = opts.maxDepth ?? 10;
    if (!Number.isInteger(maxDepth) || maxDepth < 0) throw ConfigurationError.invalidOption('maxDepth', maxDepth, 'an integer ≥ 0');
    return this.lineageNode(await this.getArtifact(ref), maxDepth, new Set());
  }

  private async lineageNode(artifact: Artifact, depth: number, seen: Set<string>): Promise<LineageNode> {
    if (!artifact.runId) return { artifact, producer: null };
    if (depth === 0 || seen.has(artifact.runId)) return { artifact, producer: null, truncated: true };
    const run = await this.runs.get(artifact.runId);
    if (!run) return { artifact, producer: null };
    const next = new Set(seen).add(run.id);
    const inputs: LineageNode[] = [];
    for (const l of await this.artifactRows.forRun(run.id)) {
      if (l.direction === 'input') inputs.push(await this.lineageNode(this.artifacts.withPath(l.artifact), depth - 1, next));
    }
    return { artifact, producer: { run, inputs } };
  }
}

const INDEX_FIELDS: readonly (keyof Run)[] = ['id', 'kind', 'name', 'model', 'parentRunId', 'status', 'year', 'iteration',
  'signature', 'codeHash', 'configHash', 'inputHash', 'cacheHit', 'reusedRunId', 'startedAt', 'endedAt', 'durationMs'];
const STRING_FILTERS = ['id', 'name', 'model', 'status', 'kind', 'signature', 'namespace'] as const;
const FILTER_KEYS: readonly string[] = [...STRING_FILTERS, 'parentId', 'year', 'iteration', 'cacheHit', 'tags', 'facet', 'limit', 'indexBy'];
const RUN_STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed'];
const RUN_KINDS: readonly RunKind[] = ['step', 'scenario', 'manual', 'trace', 'command', 'container'];
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function assertId(option: string, id: unknown): void {
  if (typeof id !== 'string') throw ConfigurationError.invalidOption(option, id, 'a string id');
}

/** `CONFIGURATION_INVALID` for filters of the wrong type (plain-JS callers), before any SQL runs. @internal */
export function assertRunFilter(f: FindRunsOptions & { indexBy?: unknown }): void {
  if (!isPlainObject(f)) throw ConfigurationError.invalidOption('options', f, 'an object of run filters');
  // A typo (`nme`) must not silently widen the query to every run.
  for (const key of Object.keys(f)) {
    if (!FILTER_KEYS.includes(key)) throw ConfigurationError.invalidOption(key, f[key as keyof typeof f], `a known filter (${FILTER_KEYS.join(', ')})`);
  }
  if (f.status !== undefined && !RUN_STATUSES.includes(f.status as RunStatus)) throw ConfigurationError.invalidOption('status', f.status, RUN_STATUSES.join(' | '));
  if (f.kind !== undefined && !RUN_KINDS.includes(f.kind as RunKind)) throw ConfigurationError.invalidOption('kind', f.kind, RUN_KINDS.join(' | '));
  for (const k of STRING_FILTERS) if (f[k] !== undefined && typeof f[k] !== 'string') throw ConfigurationError.invalidOption(k, f[k], 'a string');
  for (const k of ['year', 'iteration'] as const) {
    if (f[k] !== undefined && !Number.isInteger(f[k])) throw ConfigurationError.invalidOption(k, f[k], 'an integer');
  }
  if (f.cacheHit !== undefined && typeof f.cacheHit !== 'boolean') throw ConfigurationError.invalidOption('cacheHit', f.cacheHit, 'true or false');
  if (f.limit !== undefined && !(Number.isSafeInteger(f.limit) && (f.limit as number) >= 0)) throw ConfigurationError.invalidOption('limit', f.limit, 'an integer ≥ 0');
  if (f.parentId !== undefined && f.parentId !== null && typeof f.parentId !== 'string') {
    throw ConfigurationError.invalidOption('parentId', f.parentId, 'a run id or null');
  }
  if (f.tags !== undefined && (!Array.isArray(f.tags) || !f.tags.every((t) => typeof t === 'string'))) {
    throw ConfigurationError.invalidOption('tags', f.tags, 'an array of strings');
  }
  if (f.facet !== undefined && (!isPlainObject(f.facet) || !Object.values(f.facet).every((v) => ['string', 'number', 'boolean'].includes(typeof v)))) {
    throw ConfigurationError.invalidOption('facet', f.facet, 'an object of key → string, number or boolean');
  }
  if (f.indexBy !== undefined && !INDEX_FIELDS.includes(f.indexBy as keyof Run)) {
    throw ConfigurationError.invalidOption('indexBy', f.indexBy, INDEX_FIELDS.join(' | '));
  }
}
