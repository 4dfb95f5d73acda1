import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Tracker } from '../tracker/tracker';
import { CliError } from './cli-error';
import { resolveStore, type StoreFlags, type StoreLocation } from './config';

/** Parses a non-negative integer option value (commander reports the usage error). */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** Parses an integer option value (years may be negative in principle). */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

const MOUNT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Parses one `--mount name=path` value into the accumulated map (repeatable option). The name
 * must be a URI scheme (`[A-Za-z][A-Za-z0-9_-]*`, not `run` or `file`); the path must not be empty.
 */
export function parseMount(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  const name = eq < 0 ? '' : value.slice(0, eq).trim();
  const dir = eq < 0 ? '' : value.slice(eq + 1).trim();
  if (!MOUNT_NAME.test(name) || name === 'run' || name === 'file' || !dir) {
    throw new InvalidArgumentError("expected name=path, with a name like 'inputs' (not 'run' or 'file') and a non-empty path");
  }
  return { ...previous, [name]: dir };
}

/** Collects a repeatable string option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds the options every command takes: `--db`, `--run-dir`, `--config`, `--mount`, `--lock-timeout`, `--verbose`. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'provenance database (default: <run-dir>/provenance.duckdb)')
    .option('--run-dir <dir>', 'runs folder (default: from ./consist.config.json, else ./runs)')
    .option('--config <file>', 'config file with { runDir, dbPath, mounts } (default: ./consist.config.json)')
    .option('--mount <name=path>', 'resolve name://… URIs under path (repeatable; overrides the config file\'s mounts)', parseMount)
    .option('--lock-timeout <ms>', 'how long to wait for another process holding the database', parseCount)
    .option('--verbose', 'print stack traces on errors');
}

/** Resolves the store and fails with `CLI_NO_DATABASE` when its database file does not exist. */
export function requireStore(flags: StoreFlags): StoreLocation {
  const store = resolveStore(flags);
  if (!existsSync(store.dbPath)) throw CliError.noDatabase(store.dbPath, hasSnapshots(store.runDir));
  return store;
}

function hasSnapshots(runDir: string): boolean {
  try {
    return readdirSync(runDir).some((d) => existsSync(path.join(runDir, d, 'consist.json')));
  } catch {
    return false;
  }
}

/**
 * Opens a Tracker on the resolved store, runs `fn`, and closes it. The tracker module (and with it
 * DuckDB, Arrow and Kysely) is loaded here, lazily, so `consist --help` stays fast.
 */
export async function withTracker<T>(flags: StoreFlags, fn: (tracker: Tracker) => Promise<T>): Promise<T> {
  const store = requireStore(flags);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('reflect-metadata');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Tracker: TrackerClass } = require('../tracker/tracker') as typeof import('../tracker/tracker');
  const tracker = await TrackerClass.open({
    runDir: store.runDir, dbPath: store.dbPath, mounts: store.mounts, lockTimeoutMs: store.lockTimeoutMs,
  });
  try {
    return await fn(tracker);
  } finally {
    await tracker.close();
  }
}

/** Loads the maintenance module lazily (it pulls in DuckDB). */
export function loadMaintenance(): typeof import('../maintenance') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../maintenance') as typeof import('../maintenance');
}

/** The run, or `RUN_NOT_FOUND` (the query services' check). */
export { requireRun } from '../queries/run-detail';
