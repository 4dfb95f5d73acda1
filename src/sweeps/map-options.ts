import * as os from 'node:os';
import { SweepError } from '../errors';
import { isSweepExecutor, type ExecutorSpec } from '../executors/executor';
import type { SweepProgress } from './progress';

/** Options of `tracker.map` / `sc.map` (API.md §13). */
export interface MapOptions {
  /** Where items run: `'inline'` (default, this process), `'local'` (worker processes) or e.g. `slurm({ … })`. */
  executor?: ExecutorSpec;
  /** Most items running at once. Default: 1 inline, the CPU count for `local`, all items for others. */
  concurrency?: number;
  /** Stop at the first failed item: running ones are cancelled, the rest reported `cancelled`. Default false. */
  failFast?: boolean;
  /** Called after every change of the counts (a TTY stderr gets a progress bar when this is absent). */
  onProgress?: (progress: SweepProgress) => void;
  /** Aborting cancels the sweep (`scancel` on Slurm); unfinished items are reported `aborted`. */
  signal?: AbortSignal;
  /** Module a worker imports the step from. Default: the file that declared the class. */
  module?: string;
  /** Export name of the step in `module`. Default: the export that is the class. */
  exportName?: string;
  /** Extra environment for workers (on top of PATH, HOME, NODE_*, CONSIST_*, SLURM_CONF). */
  env?: Record<string, string>;
}

/** {@link MapOptions} checked, with defaults. @internal */
export interface ResolvedMapOptions extends MapOptions {
  executor: ExecutorSpec;
  concurrency: number;
  failFast: boolean;
}

/** Validates `map` options (before anything is recorded or submitted). @internal */
export function resolveMapOptions(o: MapOptions | undefined, items: number): ResolvedMapOptions {
  if (o !== undefined && (typeof o !== 'object' || o === null)) throw SweepError.invalidOption('options', o, 'an object');
  const opts = o ?? {};
  const executor = opts.executor ?? 'inline';
  if (executor !== 'inline' && executor !== 'local' && !isSweepExecutor(executor)) {
    throw SweepError.invalidOption('executor', executor, "'inline', 'local' or an executor such as slurm({ … })");
  }
  const fallback = executor === 'inline' ? 1 : executor === 'local' ? Math.max(1, os.availableParallelism?.() ?? os.cpus().length) : Math.max(1, items);
  const concurrency = opts.concurrency ?? fallback;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw SweepError.invalidOption('concurrency', concurrency, 'a positive integer');
  if (opts.failFast !== undefined && typeof opts.failFast !== 'boolean') throw SweepError.invalidOption('failFast', opts.failFast, 'a boolean');
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') throw SweepError.invalidOption('onProgress', opts.onProgress, 'a function');
  if (opts.signal !== undefined && !(opts.signal instanceof AbortSignal)) throw SweepError.invalidOption('signal', opts.signal, 'an AbortSignal');
  for (const k of ['module', 'exportName'] as const) {
    if (opts[k] !== undefined && (typeof opts[k] !== 'string' || !opts[k])) throw SweepError.invalidOption(k, opts[k], 'a non-empty string');
  }
  if (opts.env !== undefined && (typeof opts.env !== 'object' || opts.env === null || Object.values(opts.env).some((v) => typeof v !== 'string'))) {
    throw SweepError.invalidOption('env', opts.env, 'an object of name → string');
  }
  return { ...opts, executor, concurrency, failFast: opts.failFast ?? false };
}
