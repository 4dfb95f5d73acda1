import * as path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { ConfigurationError } from '../errors';
import type { HashingMode } from '../artifacts/artifact-store';
import type { Mounts } from '../artifacts/uri';
import type { DbLockMode } from '../provenance/database';
import type { Logger } from '../util/logger';
import type { ProgressHook } from '../util/progress';
import { assertFacetParsers, type ArtifactFacetParsers } from '../artifacts/facet-parsers';
import type { OpenLineageOptions } from './openlineage-emitter';
import { builtinSchemaClasses, type BuiltinSchemaSet } from '../formats/builtin-schemas';

/** Parquet codecs DuckDB writes (all readable by pyarrow, pandas, Spark and DuckDB). */
export const PARQUET_COMPRESSIONS = ['snappy', 'zstd', 'gzip', 'lz4', 'uncompressed'] as const;
/** One of {@link PARQUET_COMPRESSIONS}. */
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];

/** How a step's code identity is computed (API.md §9). */
export type CodeIdentityMode = 'git' | 'class-source';

/** Options of `Tracker.open` (API.md §1). */
export interface TrackerOptions<S extends Record<string, Function> = Record<string, Function>> {
  /** Run folders and snapshots live here; created if missing. */
  runDir: string;
  /** Default `<runDir>/provenance.duckdb`; `':memory:'` keeps the index in memory. */
  dbPath?: string;
  /** `@Table` classes by name → `tracker.views.<name>`. */
  schemas?: S;
  /**
   * Built-in `@Table` sets to add to `schemas` (API.md §12): `['gtfs']` gives `tracker.views.Stops`,
   * `StopTimes`, `Routes`, `Trips`, … over the member files of every logged GTFS feed (docs/formats.md).
   * An unknown name is `CONFIGURATION_INVALID` before anything is opened. Default: none.
   */
  builtinSchemas?: readonly BuiltinSchemaSet[];
  /** Path virtualization: `{ inputs: '/mnt/data' }` makes `/mnt/data/x.csv` ⇄ `inputs://x.csv`. */
  mounts?: Mounts;
  /** `'full'` (SHA-256 of bytes, default) or `'fast'` (size + mtime). */
  hashing?: HashingMode;
  /** Default `'git'`, falling back to `'class-source'` outside a repository. */
  codeIdentity?: CodeIdentityMode;
  /** Bump to invalidate every cached run. Default 1. */
  cacheEpoch?: number;
  /**
   * `'exclusive'` (default) holds the DB lock while open; `'shared'` takes it per unit of work so
   * that several processes can share one DB. Default: `CONSIST_LOCK_MODE` if set, else `'exclusive'`.
   */
  lockMode?: DbLockMode;
  /** How long to wait for another process's DB lock. Default 30 000 ms. */
  lockTimeoutMs?: number;
  /**
   * Never open the provenance database: runs are recorded as snapshots, pending markers and
   * on-disk index entries only, and cache lookups and input auto-links read those (a sweep worker
   * on another machine). Queries, views and SQL throw `JOURNAL_ONLY`; a later normal tracker on the
   * same runs folder folds the runs into the database at open. Default `false`.
   */
  journalOnly?: boolean;
  /**
   * A reader's tracker (`consist ui`): the provenance database is opened `access_mode=READ_ONLY`
   * for each query and closed right after (never migrated, never synced with the journal, no
   * WAL), and the runs folder is not created, so it runs beside a writing process and never
   * writes. A query while another process holds the file waits `lockTimeoutMs`, then `DB_LOCKED`.
   * For queries only: recording through it fails with `READ_ONLY` before any snapshot is written. Default `false`.
   */
  readOnly?: boolean;
  /** Where warnings go. Default: stderr. */
  logger?: Logger;
  /** Git work tree for `codeIdentity: 'git'`. Default `process.cwd()`. */
  projectRoot?: string;
  /**
   * Codec of the Parquet files step outputs are written as (tables returned by steps,
   * `ctx.logTable`). Default `'snappy'` (what pandas, pyarrow and DuckDB write by default);
   * `'zstd'` is typically several times smaller for ≈ 10 % more write time.
   */
  parquetCompression?: ParquetCompression;
  /** A tsyringe container to register into and resolve steps from. Default: a fresh child container. */
  container?: DependencyContainer;
  /**
   * Key prefix → parser deriving an artifact's facet from its key (API.md §11), e.g.
   * `{ linkstats_iter_: (key) => ({ iteration: Number(key.split('_').pop()) }) }`. The longest
   * matching prefix wins; an explicit facet overrides parsed keys; a throwing parser is logged and skipped.
   */
  artifactFacetParsers?: ArtifactFacetParsers;
  /** Append OpenLineage run events (START, COMPLETE/FAIL) to `file` as runs happen (docs/ui.md). */
  openLineage?: OpenLineageOptions;
  /**
   * Progress of long operations (API.md §14, docs/cli.md "Progress"): `hash` events (bytes) while
   * hashing inputs or outputs of ≥ 64 MiB, `ingest` events (rows appended), `parquet` events (rows
   * of a step output written to Parquet). Must not throw (errors are swallowed). Default: none.
   */
  onProgress?: ProgressHook;
}

/** {@link TrackerOptions} with defaults applied and paths absolute. @internal */
export interface ResolvedTrackerOptions {
  runDir: string;
  dbPath: string;
  mounts: Mounts;
  hashing: HashingMode;
  codeIdentity: CodeIdentityMode;
  cacheEpoch: number;
  lockMode: DbLockMode;
  lockTimeoutMs: number;
  journalOnly: boolean;
  readOnly: boolean;
  projectRoot: string;
  schemas: Record<string, Function>;
  parquetCompression: ParquetCompression;
  artifactFacetParsers: ArtifactFacetParsers;
  openLineage: OpenLineageOptions | null;
  onProgress: ProgressHook | null;
}

const oneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw ConfigurationError.invalidOption(name, value, allowed.map((a) => `'${a}'`).join(' | '));
};

/** `CONSIST_LOCK_MODE` selects the lock mode when the options do not (a sweep's workers set it once). */
function envLockMode(): string | undefined {
  const v = process.env.CONSIST_LOCK_MODE?.trim();
  return v ? v : undefined;
}

/** Validates options (plain-JS callers included) and applies defaults, before anything is opened. @internal */
export function resolveTrackerOptions(o: TrackerOptions): ResolvedTrackerOptions {
  if (!o || typeof o !== 'object') throw ConfigurationError.invalidOption('options', o, 'an object with runDir');
  if (typeof o.runDir !== 'string' || !o.runDir || o.runDir.includes('\u0000')) {
    throw ConfigurationError.invalidOption('runDir', o.runDir, 'a directory path');
  }
  if (o.dbPath !== undefined && (typeof o.dbPath !== 'string' || !o.dbPath)) {
    throw ConfigurationError.invalidOption('dbPath', o.dbPath, "a file path or ':memory:'");
  }
  // DuckDB opens a path ending in a data-file suffix as an in-memory database over that file:
  // every run would be silently lost from the index.
  if (o.dbPath !== undefined && DATA_FILE.test(o.dbPath)) {
    throw ConfigurationError.invalidOption('dbPath', o.dbPath, 'a DuckDB database file (e.g. provenance.duckdb), not a data file');
  }
  const epoch = o.cacheEpoch ?? 1;
  if (!Number.isInteger(epoch)) throw ConfigurationError.invalidOption('cacheEpoch', epoch, 'an integer');
  const timeout = o.lockTimeoutMs ?? 30_000;
  if (typeof timeout !== 'number' || !(timeout >= 0)) throw ConfigurationError.invalidOption('lockTimeoutMs', timeout, 'a number ≥ 0');
  if (o.mounts !== undefined && !isPlainObject(o.mounts)) {
    throw ConfigurationError.invalidOption('mounts', o.mounts, 'an object of name → directory');
  }
  for (const [name, root] of Object.entries(o.mounts ?? {})) {
    if (typeof root !== 'string' || !root || root.includes('\u0000')) throw ConfigurationError.invalidOption(`mounts.${name}`, root, 'a directory path');
  }
  assertServiceOptions(o);
  if (o.journalOnly !== undefined && typeof o.journalOnly !== 'boolean') throw ConfigurationError.invalidOption('journalOnly', o.journalOnly, 'true or false');
  if (o.readOnly !== undefined && typeof o.readOnly !== 'boolean') throw ConfigurationError.invalidOption('readOnly', o.readOnly, 'true or false');
  const runDir = path.resolve(o.runDir);
  const dbPath = o.dbPath === ':memory:' ? ':memory:' : path.resolve(o.dbPath ?? path.join(runDir, 'provenance.duckdb'));
  return {
    runDir, dbPath, mounts: o.mounts ?? {}, cacheEpoch: epoch, lockTimeoutMs: timeout, journalOnly: o.journalOnly === true,
    readOnly: o.readOnly === true,
    hashing: oneOf('hashing', o.hashing, ['full', 'fast'] as const, 'full'),
    codeIdentity: oneOf('codeIdentity', o.codeIdentity, ['git', 'class-source'] as const, 'git'),
    lockMode: dbPath === ':memory:' ? 'exclusive'
      : oneOf('lockMode', o.lockMode ?? envLockMode(), ['exclusive', 'shared'] as const, 'exclusive'),
    projectRoot: path.resolve(o.projectRoot ?? process.cwd()),
    schemas: { ...builtinSchemaClasses(o.builtinSchemas), ...(o.schemas ?? {}) },
    parquetCompression: oneOf('parquetCompression', o.parquetCompression, PARQUET_COMPRESSIONS, 'snappy'),
    artifactFacetParsers: { ...(o.artifactFacetParsers ?? {}) },
    openLineage: o.openLineage ? { ...o.openLineage, file: path.resolve(o.openLineage.file) } : null,
    onProgress: o.onProgress ?? null,
  };
}

const DATA_FILE = /\.(csv|tsv|parquet|json|jsonl|ndjson|arrow|xlsx)(\.gz)?$/i;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `schemas`, `projectRoot`, `logger` and `container` of plain-JS callers, checked before anything is created. */
function assertServiceOptions(o: TrackerOptions): void {
  if (o.schemas !== undefined && (!isPlainObject(o.schemas) || Object.values(o.schemas).some((c) => typeof c !== 'function'))) {
    throw ConfigurationError.invalidOption('schemas', o.schemas, 'an object of name → @Table class');
  }
  if (o.projectRoot !== undefined && (typeof o.projectRoot !== 'string' || !o.projectRoot)) {
    throw ConfigurationError.invalidOption('projectRoot', o.projectRoot, 'a directory path');
  }
  if (o.logger !== undefined && (!isPlainObject(o.logger) || typeof o.logger.warn !== 'function')) {
    throw ConfigurationError.invalidOption('logger', o.logger, 'a Logger ({ warn, info, debug })');
  }
  assertFacetParsers(o.artifactFacetParsers);
  const ol = o.openLineage as unknown;
  if (ol !== undefined && (!isPlainObject(ol) || typeof ol.file !== 'string' || !ol.file || (ol.namespace !== undefined && typeof ol.namespace !== 'string'))) {
    throw ConfigurationError.invalidOption('openLineage', ol, "{ file: 'events.jsonl', namespace?: string }");
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw ConfigurationError.invalidOption('onProgress', o.onProgress, 'a function (event) => void');
  }
  const container = o.container as unknown;
  if (container !== undefined && (typeof container !== 'object' || container === null || typeof (container as { resolve?: unknown }).resolve !== 'function')) {
    throw ConfigurationError.invalidOption('container', container, 'a tsyringe DependencyContainer');
  }
}
