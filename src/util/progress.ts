/** One step of a long operation, as library callers receive it through `onProgress`. */
export interface ProgressEvent {
  /** What runs: `rebuild`, `hash`, `ingest`, `parquet`, `purge`. */
  task: string;
  /** Items finished so far. */
  done: number;
  /** Items in all, when known. */
  total: number | null;
  /** The item just finished (a run id, a file), when there is one. */
  item?: string;
}

/** The `onProgress` hook of long library operations; must not throw (errors are swallowed). */
export type ProgressHook = (event: ProgressEvent) => void;

/** Counts items of one task and reports each to `hook` (a no-op without one). */
export function progressCounter(task: string, total: number | null, hook: ProgressHook | undefined): (item?: string) => void {
  let done = 0;
  return (item) => {
    done++;
    if (!hook) return;
    try {
      hook({ task, done, total, item });
    } catch {
      // a progress display must never break the operation it reports on
    }
  };
}

/**
 * Sums amounts (rows, bytes) of one task as they are processed and reports the running sum to
 * `hook` (a no-op without one); hook errors are swallowed.
 */
export function amountCounter(task: string, total: number | null, hook: ProgressHook | undefined, item?: string): (amount: number) => void {
  let done = 0;
  return (amount) => {
    done += amount;
    if (!hook) return;
    try {
      hook({ task, done, total, item });
    } catch {
      // a progress display must never break the operation it reports on
    }
  };
}
