import type { BytesNeeded, CacheHit, CacheIndex } from './cache-index';
import type { Run } from '../model';

/**
 * `exclusive` lock mode's {@link CacheIndex}: the on-disk run index first (a `readdir` and a
 * snapshot read, no DB unit, so written-behind hits stay queued), then the DB for what the index
 * does not know (runs recorded before the index existed, or whose entry a crash lost). Snapshots
 * are the truth and the DB rows come from them, so both answer "the newest completed run with this
 * signature"; the index only sees runs with a snapshot on disk. Miss explanations use the DB.
 */
export class LayeredCacheIndex implements CacheIndex {
  constructor(private readonly first: CacheIndex, private readonly fallback: CacheIndex) {}

  async find(signature: string, bytes?: BytesNeeded): Promise<CacheHit | undefined> {
    return (await this.first.find(signature, bytes)) ?? this.fallback.find(signature, bytes);
  }

  similarRuns(name: string, model: string | null): Promise<Run[]> {
    return this.fallback.similarRuns(name, model);
  }
}
