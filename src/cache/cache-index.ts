import { promises as fs } from 'node:fs';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { Artifact, Run } from '../model';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { RunRepository } from '../provenance/run-repository';

/** Which cached output files must exist for a candidate to count as a hit. */
export type BytesNeeded = 'none' | 'all' | readonly string[];

/** A usable cached run: the run matched, the producer whose work is reused, and its artifacts. */
export interface CacheHit {
  run: Run;
  /** The run that actually executed (a hit of a hit points back to the original). */
  producerRunId: string;
  outputs: Record<string, Artifact>;
}

/**
 * Cache lookup: completed runs by signature, newest first; `running` or `failed` runs never match.
 * Two strategies, chosen by lock mode in the composition root: {@link DbCacheIndex} (`exclusive`:
 * indexed SQL on the held connection) and `FsCacheIndex` (`shared`: the on-disk run index and the
 * snapshots, so a lookup never waits for another process's DB lock).
 */
export interface CacheIndex {
  /**
   * The newest completed run with this signature whose outputs satisfy `bytes`. Under `none`
   * (metadata hydration) a run whose files are gone is still a hit ("ghost mode").
   */
  find(signature: string, bytes?: BytesNeeded): Promise<CacheHit | undefined>;
  /** Completed runs of the same step (name + model) that executed (no cache hits), newest first: candidates for a miss explanation. */
  similarRuns(name: string, model: string | null): Promise<Run[]>;
}

/** How many candidates a lookup considers; how many similar runs a miss explanation compares. @internal */
export const CANDIDATE_LIMIT = 20;
/** @internal */
export const SIMILAR_LIMIT = 50;

const exists = (p: string) => fs.access(p).then(() => true, () => false);

/** True when every output `bytes` asks for exists on disk. @internal */
export async function hasBytes(outputs: Record<string, Artifact>, bytes: BytesNeeded): Promise<boolean> {
  if (bytes === 'none') return true;
  const keys = bytes === 'all' ? Object.keys(outputs) : bytes;
  for (const key of keys) {
    const a = outputs[key];
    if (!a || !(await exists(a.path))) return false;
  }
  return true;
}

/** The run whose work a hit reuses: a hit of a hit points back to the original. @internal */
export const producerOf = (run: Run): string => (run.cacheHit && run.reusedRunId ? run.reusedRunId : run.id);

/** {@link CacheIndex} over the provenance DB (`exclusive` lock mode). */
export class DbCacheIndex implements CacheIndex {
  constructor(
    private readonly runs: RunRepository,
    private readonly artifactRows: ArtifactRepository,
    private readonly artifacts: ArtifactStore,
  ) {}

  async find(signature: string, bytes: BytesNeeded = 'none'): Promise<CacheHit | undefined> {
    // Metadata hydration takes the newest candidate whatever its files: fetch one row, not twenty.
    const candidates = await this.runs.find({ signature, status: 'completed', limit: bytes === 'none' ? 1 : CANDIDATE_LIMIT });
    for (const run of candidates) {
      const outputs = await this.outputsOf(run.id);
      if (await hasBytes(outputs, bytes)) return { run, producerRunId: producerOf(run), outputs };
    }
    return undefined;
  }

  similarRuns(name: string, model: string | null): Promise<Run[]> {
    return this.runs.find({ name, ...(model ? { model } : {}), status: 'completed', kind: 'step', cacheHit: false, limit: SIMILAR_LIMIT });
  }

  private async outputsOf(runId: string): Promise<Record<string, Artifact>> {
    const outputs: Record<string, Artifact> = {};
    for (const l of await this.artifactRows.forRun(runId)) {
      if (l.direction === 'output') outputs[l.key] = this.artifacts.withPath(l.artifact);
    }
    return outputs;
  }
}
