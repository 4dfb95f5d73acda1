import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { RunNotFoundError } from '../errors';
import type { Tracker } from '../facade/tracker';
import type { Run } from '../model';
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

/** Adds the options every command takes: `--db`, `--run-dir`, `--config`, `--lock-timeout`, `--verbose`. */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'provenance database (default: <run-dir>/provenance.duckdb)')
    .option('--run-dir <dir>', 'runs folder (default: from ./consist.config.json, else ./runs)')
    .option('--config <file>', 'config file with { runDir, dbPath, mounts } (default: ./consist.config.json)')
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
  const { Tracker: TrackerClass } = require('../facade/tracker') as typeof import('../facade/tracker');
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

/** The run, or `RUN_NOT_FOUND`. */
export async function requireRun(tracker: Tracker, runId: string): Promise<Run> {
  const run = await tracker.getRun(runId);
  if (!run) throw new RunNotFoundError(`id '${runId}'`);
  return run;
}
