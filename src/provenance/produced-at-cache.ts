import type { Artifact, RunSnapshot } from '../model';
import { ArtifactRepository } from './artifact-repository';
import type { Database } from './database';

type ArtifactRow = Omit<Artifact, 'path'>;

/** What {@link ArtifactStore} asks to auto-link inputs: uri → newest artifact a completed run produced there. */
export interface ProducedAtLookup {
  latestProducedAtMany(uris: readonly string[]): Promise<Map<string, ArtifactRow>>;
}

/**
 * `exclusive` lock mode: an in-process cache of {@link ArtifactRepository.latestProducedAtMany}
 * (found artifacts and "none"), so a repeated step (a cache hit) resolves its inputs without a DB
 * query. Only this process writes the file, and every unit that may change rows advances
 * {@link Database.generation}: the whole cache is dropped when it moved. Written-behind cache hits
 * (which change no produced artifact, see `WriteBehind`) are {@link note}d instead, and an entry
 * they could change is dropped.
 * @internal
 */
export class ProducedAtCache implements ProducedAtLookup {
  private readonly known = new Map<string, ArtifactRow | null>();
  private generation = -1;
  private readonly repo: ArtifactRepository;

  constructor(private readonly db: Database) {
    this.repo = new ArtifactRepository(db.reader());
  }

  async latestProducedAtMany(uris: readonly string[]): Promise<Map<string, ArtifactRow>> {
    if (this.generation !== this.db.generation) {
      this.known.clear();
      this.generation = this.db.generation;
    }
    const generation = this.generation;
    const missing = uris.filter((u) => !this.known.has(u));
    const found = missing.length ? await this.repo.latestProducedAtMany(missing) : new Map<string, ArtifactRow>();
    if (generation === this.db.generation) {
      for (const u of missing) this.known.set(u, found.get(u) ?? null);
    }
    const out = new Map<string, ArtifactRow>();
    for (const u of uris) {
      const row = found.get(u) ?? this.known.get(u);
      if (row) out.set(u, structuredClone(row));
    }
    return out;
  }

  /** A snapshot about to be written behind: drops every entry one of its produced artifacts could change. */
  note(snapshot: RunSnapshot): void {
    for (const { artifact } of snapshot.artifacts) {
      if (artifact.runId === null) continue;
      const cached = this.known.get(artifact.uri);
      if (!cached || cached.id !== artifact.id || cached.hash !== artifact.hash) this.known.delete(artifact.uri);
    }
  }
}
