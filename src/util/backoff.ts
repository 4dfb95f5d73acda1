/** Options of {@link retryWithBackoff}. @internal */
export interface BackoffOptions {
  /** Give up after this many milliseconds in total. */
  deadlineMs: number;
  /** First delay; doubles each attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Decides whether an error is worth another attempt. */
  isRetryable: (err: unknown) => boolean;
}

/** Result of {@link retryWithBackoff}: the value and how long it waited. @internal */
export interface BackoffResult<T> { value: T; waitedMs: number; attempts: number }

/** Thrown by {@link retryWithBackoff} when the deadline passes; carries the last error. @internal */
export class BackoffTimeout extends Error {
  constructor(readonly lastError: unknown, readonly waitedMs: number, readonly attempts: number) {
    super('retry deadline exceeded');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Calls `fn` until it succeeds, sleeping with full-jitter exponential backoff between attempts. @internal */
export async function retryWithBackoff<T>(fn: () => Promise<T>, opts: BackoffOptions): Promise<BackoffResult<T>> {
  const start = Date.now();
  let delay = opts.initialDelayMs ?? 10;
  const maxDelay = opts.maxDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), waitedMs: Date.now() - start, attempts: attempt };
    } catch (err) {
      const waited = Date.now() - start;
      if (!opts.isRetryable(err)) throw err;
      if (waited >= opts.deadlineMs) throw new BackoffTimeout(err, waited, attempt);
      const jittered = Math.random() * delay;
      await sleep(Math.min(jittered, Math.max(0, opts.deadlineMs - waited)));
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
