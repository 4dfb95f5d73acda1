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

/** A running row count of one operation with a known total: see {@link boundedAmount}. */
export interface BoundedAmount {
  /** Adds `amount` (clipped so the sum never passes the total); ignored once finished. */
  add(amount: number): void;
  /** Reports the rest up to the total (when something is missing), then ignores later adds. */
  finish(): void;
}

/**
 * Like {@link amountCounter}, for a known `total` reported by several sources that may run late
 * (e.g. a native thread's callbacks arriving after the operation resolved): the sum stays
 * monotonic and ≤ `total`, `finish()` ends it at done = total, and nothing is reported after that.
 * A total of 0 reports nothing.
 */
export function boundedAmount(task: string, total: number, hook: ProgressHook | undefined, item?: string): BoundedAmount {
  const report = amountCounter(task, total, hook, item);
  let done = 0;
  let finished = false;
  const add = (amount: number): void => {
    const n = Math.min(amount, total - done);
    if (finished || !(n > 0)) return;
    done += n;
    report(n);
  };
  return { add, finish: () => { add(total - done); finished = true; } };
}
