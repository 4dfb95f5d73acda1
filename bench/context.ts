import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BenchResult, RepOptions } from './harness';

/** Every size knob of every bench (override with `--set name=value`). */
export interface Sizes {
  /** Cache hit: runs seeded in the small and the large database. */
  'cacheHit.smallRuns': number;
  'cacheHit.largeRuns': number;
  'cacheHit.inputs': number;
  'cacheHit.outputs': number;
  'cacheHit.configKeys': number;
  'cacheHit.reps': number;
  /** Warm-up hits before timing: the hot path is a few ms, so JIT warm-up matters (2 was not enough). */
  'cacheHit.warmup': number;
  /** Hashing: file size in MiB. */
  'hashing.mib': number;
  /** Table output and ingestion: rows of the 5-column table. */
  'tableOutput.rows': number;
  'ingestion.rows': number;
  /** Hybrid view: cold files, ingested artifacts, rows per artifact. */
  'hybrid.cold': number;
  'hybrid.hot': number;
  'hybrid.rowsPerFile': number;
  /** Scale queries: runs and artifacts per run of the small and the large database. */
  'scale.smallRuns': number;
  'scale.largeRuns': number;
  'scale.artifactsPerRun': number;
  'scale.reps': number;
  /** Many-files view: cold Parquet files and rows per file. */
  'manyFiles.cold': number;
  'manyFiles.rowsPerFile': number;
  /** Executed small step: repetitions. */
  'smallStep.reps': number;
  /** Tracker start-up: runs in the DB, repetitions (each spawns two processes). */
  'openStartup.runs': number;
  'openStartup.reps': number;
  /** CLI start-up repetitions. */
  'cli.reps': number;
  /** Reps of the OMX matrix load pair: first-touch page faults on this VM make single reps bimodal (7 vs 120 ms). */
  'formats.reps': number;
  /** Reps of the format-view query pairs (GTFS join, OMX long table: 10–200 ms each). */
  'formatViews.reps': number;
  /** Reps of the ingestion pair (≈ 1 s each at 1M rows). */
  'ingestion.reps': number;
  /** Repetitions (after warm-ups) of the benches without their own knob. */
  reps: number;
  warmup: number;
}

/** Default sizes: the workloads of issue 8 (under 10 minutes on 2 cores). */
export const DEFAULT_SIZES: Sizes = {
  'cacheHit.smallRuns': 200, 'cacheHit.largeRuns': 100_000, 'cacheHit.inputs': 20, 'cacheHit.outputs': 15,
  'cacheHit.configKeys': 200, 'cacheHit.reps': 100, 'cacheHit.warmup': 150,
  'hashing.mib': 1024,
  'tableOutput.rows': 1_000_000, 'ingestion.rows': 1_000_000, 'ingestion.reps': 11,
  'hybrid.cold': 20, 'hybrid.hot': 20, 'hybrid.rowsPerFile': 100_000,
  'scale.smallRuns': 1_000, 'scale.largeRuns': 100_000, 'scale.artifactsPerRun': 10, 'scale.reps': 15,
  'manyFiles.cold': 1_000, 'manyFiles.rowsPerFile': 1_000,
  'smallStep.reps': 60,
  'openStartup.runs': 100_000, 'openStartup.reps': 10,
  'cli.reps': 15, 'formats.reps': 45, 'formatViews.reps': 25,
  reps: 7, warmup: 2,
};

/**
 * `--quick` (≈ 3 minutes): smaller histories, hash input and file counts, the costs that grow with
 * size; the same per-operation workloads, repetitions and warm-ups as the default wherever a rep is
 * cheap. Fewer reps (cache hits 30, OMX loads 15) and smaller tables (200k-row outputs, a 500-zone
 * OMX) flipped cache-hit, ingestion, table-output and OMX rows between runs: noise and fixed costs
 * that the full sizes amortise.
 */
export const QUICK_SIZES: Sizes = {
  ...DEFAULT_SIZES,
  'cacheHit.largeRuns': 10_000,
  'hashing.mib': 256,
  'ingestion.reps': 7,
  'hybrid.rowsPerFile': 20_000,
  'scale.largeRuns': 10_000, 'scale.reps': 8,
  'manyFiles.cold': 300,
  'openStartup.runs': 10_000, 'openStartup.reps': 6,
  'cli.reps': 8, 'formatViews.reps': 10,
};

/** What a bench gets from the runner. */
export interface BenchContext {
  sizes: Sizes;
  quick: boolean;
  /** A fresh scratch folder for this bench (removed afterwards unless `--keep`). */
  workDir: string;
  /** Root of the built package (holds `dist/`), for spawning the CLI. */
  packageRoot: string;
  log(message: string): void;
}

/** One benchmark: a workload and its floor, measured in the same process run. */
export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

/** Warm-up and repetitions from the sizes, with an optional per-bench repetition count. */
export function reps(sizes: Sizes, own?: number): RepOptions {
  return { warmup: sizes.warmup, reps: own ?? sizes.reps };
}

/** Applies `name=value` overrides to a copy of `base`; unknown names are an error. */
export function applyOverrides(base: Sizes, overrides: readonly string[]): Sizes {
  const out: Sizes = { ...base };
  for (const o of overrides) {
    const [name, value] = o.split('=');
    if (!(name in out) || value === undefined || !Number.isFinite(Number(value))) {
      throw new Error(`--set ${o}: expected one of ${Object.keys(out).join(', ')} = a number`);
    }
    (out as unknown as Record<string, number>)[name] = Number(value);
  }
  return out;
}

/** Creates `<root>/<name>` empty. */
export async function freshDir(root: string, name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  return dir;
}
