import { promises as fs } from 'node:fs';
import type { Artifact, Run } from '../model';

/** Which cached output files must exist for a candidate to count as a hit. */
export type BytesNeeded = 'none' | 'all' | readonly string[];

/** A usable cached run: the run matched, the producer whose work is reused, and its artifacts. */
export interface CacheHit {
  run: Run;
  /** The run that actually executed (a hit of a hit points back to the original). */
  producerRunId: string;
  outputs: Record<string, Artifact>;
  /** The matched run's input records by key: a hit links these again for inputs whose files are unchanged (no new rows per hit). */
  inputs: Record<string, Artifact>;
}

/**
 * Cache lookup: completed runs by signature, newest first; `running` or `failed` runs never match.
 * Implemented by `FsCacheIndex` over the on-disk run index and the snapshots in every lock mode
 * (and in a journal-only tracker), so a lookup never runs a DB unit; the seam a remote index would use.
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
