import type { ProgressHook } from '../util/progress';

/** Inputs at least this big report `hash` progress (bytes hashed); smaller ones cost nothing extra. */
export const HASH_PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

/** Progress reporting of one hash: the hook, and (tests) a lower size threshold. */
export interface HashProgressOptions {
  onProgress: ProgressHook;
  /** Report only for inputs of at least this many bytes. Default {@link HASH_PROGRESS_MIN_BYTES}. */
  minBytes?: number;
}

/** Adds bytes as blocks are hashed; `finish` reports the final count as done = total. @internal */
export interface ByteReporter {
  add(bytes: number): void;
  finish(): void;
}

/**
 * A {@link ByteReporter} for an input of `total` bytes, or `undefined` (the common, free case)
 * when there is no hook or the input is below the threshold. Hook errors are swallowed.
 * @internal
 */
export function byteReporter(options: HashProgressOptions | undefined, total: number, item: string): ByteReporter | undefined {
  if (!options || total < (options.minBytes ?? HASH_PROGRESS_MIN_BYTES)) return undefined;
  let done = 0;
  const emit = (t: number): void => {
    try {
      options.onProgress({ task: 'hash', done, total: t, item });
    } catch {
      // a progress display must never break the hash it reports on
    }
  };
  return {
    add: (bytes) => {
      done += bytes;
      if (done < total) emit(total);
    },
    finish: () => emit(Math.max(done, total)),
  };
}
