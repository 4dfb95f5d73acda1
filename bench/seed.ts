import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Tracker } from '../src/tracker/tracker';
import { InstanceRegistry } from '../src/provenance/instance-registry';

/** Shape of a seeded provenance database. */
export interface SeedOptions {
  runs: number;
  /** Output artifacts per run (each linked to its run). Default 0. */
  artifactsPerRun?: number;
  /**
   * Runs form chains of this length: run `i` reads output 0 of run `i-1` unless `i % chain == 0`,
   * so a lineage of depth `chain - 1` exists. Default 10 (only with `artifactsPerRun > 0`).
   */
  chain?: number;
}

/**
 * Seeding shortcut (documented in docs/performance.md): rows are inserted straight into `run`,
 * `artifact` and `run_artifact_link` with `INSERT … SELECT … FROM range(n)` — no snapshots, no
 * files. Nothing the measured paths read needs them: the cache lookup, findRuns, lineage and
 * `consist runs` all read the DB. Seeded runs are older than any run a bench records, have
 * unique signatures (`seed-<i>`), and ids `seed_<i>` / artifact ids `seed_a_<i>_<j>`.
 */
export async function seedProvenance(tracker: Tracker, opts: SeedOptions): Promise<void> {
  const n = opts.runs;
  const k = opts.artifactsPerRun ?? 0;
  const chain = opts.chain ?? 10;
  await tracker.sql(`INSERT INTO run (id, kind, name, model, parent_run_id, status, year, iteration, tags, signature,
      code_hash, config_hash, input_hash, cache_hit, reused_run_id, config, facet, meta, error, started_at, ended_at, duration_ms)
    SELECT 'seed_' || i, 'step', 'step_' || (i % 20), 'model_' || (i % 5), NULL, 'completed', 2000 + (i % 50)::INTEGER,
      (i % 3)::INTEGER, ['seed'], 'seed-' || i, 'code-' || (i % 7), 'cfg-' || i, 'in-' || i, false, NULL,
      json_object('alpha', i, 'beta', 'b' || (i % 13)), NULL, json_object('seeded', true), NULL,
      TIMESTAMP '2020-01-01' + to_seconds(i), TIMESTAMP '2020-01-01' + to_seconds(i + 1), 1000
    FROM range(${n}) t(i)`);
  if (k === 0) return;
  await tracker.sql(`INSERT INTO artifact (id, key, uri, driver, hash, size, run_id, schema_id, meta, created_at)
    SELECT 'seed_a_' || r || '_' || j, 'key_' || j, 'run://seed_' || r || '/out_' || j || '.parquet', 'parquet',
      'sha256:' || md5(r || '_' || j), 1000 + j, 'seed_' || r, NULL, '{}', TIMESTAMP '2020-01-01' + to_seconds(r + 1)
    FROM (SELECT i // ${k} AS r, i % ${k} AS j FROM range(${n * k}) t(i))`);
  await tracker.sql(`INSERT INTO run_artifact_link (run_id, artifact_id, key, direction)
    SELECT 'seed_' || (i // ${k}), 'seed_a_' || (i // ${k}) || '_' || (i % ${k}), 'key_' || (i % ${k}), 'output'
    FROM range(${n * k}) t(i)`);
  await tracker.sql(`INSERT INTO run_artifact_link (run_id, artifact_id, key, direction)
    SELECT 'seed_' || i, 'seed_a_' || (i - 1) || '_0', 'upstream', 'input'
    FROM range(${n}) t(i) WHERE i % ${chain} <> 0`);
}

/** The id of an artifact with a lineage of `depth` producer runs above it (needs `chain > depth`). */
export function deepArtifactId(runs: number, depth: number, chain = 10): string {
  const start = Math.floor((runs - 1) / chain) * chain - chain; // a complete chain near the end
  return `seed_a_${Math.max(0, start) + depth}_0`;
}

/**
 * A raw DuckDB connection on the tracker's own instance (DuckDB allows one instance per file per
 * process, so the floors share it through the registry instead of opening the file twice).
 */
export async function rawConnection(dbPath: string): Promise<{ conn: DuckDBConnection; release(): Promise<void> }> {
  const instance: DuckDBInstance = await InstanceRegistry.acquire(dbPath);
  const conn = await instance.connect();
  return {
    conn,
    release: async () => {
      conn.closeSync();
      await InstanceRegistry.release(dbPath, instance);
    },
  };
}
