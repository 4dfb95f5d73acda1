import type { ArtifactStore } from '../artifacts/artifact-store';
import type { Artifact, Run } from '../model';
import type { SqlExecutor } from '../provenance/executor';
import type { RunFilter } from '../provenance/run-repository';
import { ArtifactLookups, type ArtifactLookup, type FindArtifactsOptions } from './artifact-lookup';
import { diffRunRecords, findLatestRun, type DiffRunsOptions, type RunDiff } from './run-diff';
import type { LineageNode, RunQueries } from './run-queries';
import { RunNotFoundError } from '../errors';

/** The query helpers of API.md §11 behind the Tracker facade: run diffs, latest run, artifact lookups, lineage by key or URI. @internal */
export class QueryHelpers {
  private readonly lookups: ArtifactLookups;

  constructor(private readonly db: SqlExecutor, private readonly queries: RunQueries, artifacts: ArtifactStore) {
    this.lookups = new ArtifactLookups(db, artifacts);
  }

  async diffRuns(a: string, b: string, options: DiffRunsOptions = {}): Promise<RunDiff> {
    const [ra, rb] = [await this.queries.getRun(a), await this.queries.getRun(b)];
    if (!ra) throw new RunNotFoundError(`id '${a}'`);
    if (!rb) throw new RunNotFoundError(`id '${b}'`);
    return diffRunRecords(ra, rb, options);
  }

  findLatestRun(filter: RunFilter = {}): Promise<Run> {
    return findLatestRun(this.db, filter);
  }

  getArtifact(ref: ArtifactLookup): Promise<Artifact> {
    return this.lookups.get(ref);
  }

  findArtifacts(options: FindArtifactsOptions = {}): Promise<Artifact[]> {
    return this.lookups.find(options);
  }

  async lineage(ref: ArtifactLookup, options: { maxDepth?: number } = {}): Promise<LineageNode> {
    if (typeof options !== 'object' || options === null) return this.queries.lineage(ref as string, options);
    return this.queries.lineage(await this.lookups.get(ref), options);
  }
}
