import type { Run } from '../model';
import type { RunLookup } from '../provenance/run-repository';
import type { SnapshotStore } from './snapshot-store';

/**
 * {@link RunLookup} over the JSON snapshots instead of the DB: the step path of `shared` lock mode
 * (a producer's signature, "is this run id free?") then never waits for the DB lock. Every DB row
 * comes from a snapshot, so a run the DB knows has a snapshot too (unless its folder was deleted by
 * hand). An unreadable snapshot reads as absent.
 */
export class SnapshotRunLookup implements RunLookup {
  constructor(private readonly snapshots: SnapshotStore) {}

  async get(id: string): Promise<Run | undefined> {
    try {
      return (await this.snapshots.read(id))?.run;
    } catch {
      return undefined;
    }
  }
}
