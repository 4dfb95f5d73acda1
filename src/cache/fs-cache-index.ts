import type { ArtifactStore } from '../artifacts/artifact-store';
import type { Run, RunSnapshot } from '../model';
import type { RunIndex, RunIndexKind } from '../journal/run-index';
import type { SnapshotStore } from '../journal/snapshot-store';
import { CANDIDATE_LIMIT, SIMILAR_LIMIT, hasBytes, producerOf, type BytesNeeded, type CacheHit, type CacheIndex } from './cache-index';

/** At most this many index entries are read for a miss explanation (it is best effort). */
const SIMILAR_SCAN_LIMIT = 200;

/**
 * {@link CacheIndex} over the on-disk {@link RunIndex} and the snapshots (`shared` lock mode): a
 * lookup is a `readdir` of `.consist/index/signature/<signature>/` plus a read of the newest
 * snapshots, so it never waits for another process's DB lock. The snapshot is the truth: only a
 * snapshot that still says `completed` (and has this signature) is a hit; an entry whose snapshot
 * is gone is removed.
 */
export class FsCacheIndex implements CacheIndex {
  constructor(
    private readonly index: RunIndex,
    private readonly snapshots: SnapshotStore,
    private readonly artifacts: ArtifactStore,
  ) {}

  async find(signature: string, bytes: BytesNeeded = 'none'): Promise<CacheHit | undefined> {
    for (const entry of this.index.entriesNow('signature', signature, CANDIDATE_LIMIT)) {
      const snap = await this.completed('signature', signature, entry, true);
      if (!snap || snap.run.signature !== signature) continue;
      const outputs = this.artifacts.outputsOf(snap);
      if (await hasBytes(outputs, bytes)) return { run: snap.run, producerRunId: producerOf(snap.run), outputs, inputs: this.artifacts.inputsOf(snap) };
    }
    return undefined;
  }

  /** Best effort: an unreadable index or snapshot only makes the explanation less precise. */
  async similarRuns(name: string, model: string | null): Promise<Run[]> {
    const out: Run[] = [];
    for (const entry of await this.index.entries('name', name, SIMILAR_SCAN_LIMIT)) {
      const run = (await this.completed('name', name, entry))?.run;
      // Hits are not indexed any more, but older index folders may hold some: executed runs only, as in SQL.
      if (!run || run.kind !== 'step' || run.cacheHit || run.name !== name || (model && run.model !== model)) continue;
      out.push(run);
      if (out.length >= SIMILAR_LIMIT) break;
    }
    return out;
  }

  /** The entry's snapshot when it is completed; `now`: read on this thread (the hit path: one small file). */
  private async completed(kind: RunIndexKind, key: string, entry: { runId: string; marker: string }, now = false): Promise<RunSnapshot | undefined> {
    let snap: RunSnapshot | undefined;
    try {
      snap = now ? this.snapshots.readNow(entry.runId) : await this.snapshots.read(entry.runId);
    } catch {
      return undefined; // unreadable: not a hit, but not ours to delete either
    }
    if (!snap) await this.index.forget(kind, key, entry);
    return snap?.run.status === 'completed' ? snap : undefined;
  }
}
