import type { Artifact, Run } from '../model';
import { AmbiguousRunError, ArtifactError, ConfigurationError, RunNotFoundError } from '../errors';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { ArtifactRepository } from '../store/artifact-repository';
import type { RunFilter, RunRepository } from '../store/run-repository';

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
  ) {}

  getRun(id: string): Promise<Run | undefined> {
    return this.runs.get(id);
  }

  findRuns(filter: FindRunsOptions = {}): Promise<Run[]> {
    return this.runs.find(filter);
  }

  /** Runs keyed by a field (e.g. `year`); a duplicate key keeps the newest run. */
  async findRunsIndexed<K extends keyof Run>(filter: FindRunsOptions, indexBy: K): Promise<Map<Run[K], Run>> {
    const map = new Map<Run[K], Run>();
    for (const run of await this.runs.find(filter)) if (!map.has(run[indexBy])) map.set(run[indexBy], run);
    return map;
  }

  /** Exactly one run, else `RUN_NOT_FOUND` / `RUN_AMBIGUOUS`. */
  async findRun(filter: FindRunsOptions): Promise<Run> {
    const found = await this.runs.find({ ...filter, limit: 50 });
    const what = JSON.stringify(filter);
    if (found.length === 0) throw new RunNotFoundError(what);
    if (found.length > 1) throw new AmbiguousRunError(what, found.map((r) => r.id));
    return found[0];
  }

  async getArtifactsForRun(runId: string): Promise<RunArtifacts> {
    const out: RunArtifacts = { inputs: {}, outputs: {} };
    for (const l of await this.artifactRows.forRun(runId)) {
      (l.direction === 'input' ? out.inputs : out.outputs)[l.key] = this.artifacts.withPath(l.artifact);
    }
    return out;
  }

  /** Resolves an artifact id (or passes an artifact through). */
  async getArtifact(ref: Artifact | string): Promise<Artifact> {
    if (typeof ref !== 'string') return ref;
    const rec = await this.artifactRows.get(ref);
    if (!rec) throw ArtifactError.notFound(ref, 'No artifact has this id; list them with `consist artifacts <run>`.');
    return this.artifacts.withPath(rec);
  }

  /** The producing runs of an artifact and their inputs, recursively, to `maxDepth` levels; cycle-safe. */
  async lineage(ref: Artifact | string, opts: { maxDepth?: number } = {}): Promise<LineageNode> {
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
