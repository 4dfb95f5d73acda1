import * as path from 'node:path';

/** What maintenance needs of an open tracker's indexer: its read barrier. */
export interface Drainable {
  drain(folder?: boolean): Promise<number>;
}

/** The indexers of the trackers open in this process, by resolved DB file. */
const open = new Map<string, Set<Drainable>>();

/**
 * Registers an open tracker's indexer under its DB file; returns the function that unregisters it
 * (at `close()`). Used only by {@link drainOpenIndexers}: no DB unit consults it implicitly.
 * @internal
 */
export function registerIndexer(file: string, indexer: Drainable): () => void {
  const key = path.resolve(file);
  const set = open.get(key) ?? new Set<Drainable>();
  set.add(indexer);
  open.set(key, set);
  return () => {
    set.delete(indexer);
    if (!set.size && open.get(key) === set) open.delete(key);
  };
}

/**
 * The read barrier of every tracker of this process open on `file`: maintenance (`doctor`,
 * `rebuild`, `purge`, `compact`) calls it before it opens its own `Database` on the file, so it
 * sees the runs those trackers recorded but have not committed yet.
 * @internal
 */
export async function drainOpenIndexers(file: string): Promise<void> {
  if (file === ':memory:') return;
  await Promise.all([...(open.get(path.resolve(file)) ?? [])].map((indexer) => indexer.drain(true)));
}
