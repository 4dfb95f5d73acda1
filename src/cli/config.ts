import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliError } from './cli-error';

/** The flags every command takes to find the runs folder and its database. */
export interface StoreFlags {
  db?: string;
  runDir?: string;
  config?: string;
  lockTimeout?: number;
  /** `--mount name=path` (repeatable), parsed; paths relative to the working directory. Override the config file's mounts. */
  mount?: Record<string, string>;
}

/** Where the CLI reads and writes: absolute paths, mounts, and how long to wait for a lock. */
export interface StoreLocation {
  runDir: string;
  dbPath: string;
  mounts: Record<string, string>;
  lockTimeoutMs: number;
}

/** Name of the optional config file looked up in the current directory. */
export const CONFIG_FILE = 'consist.config.json';

interface ConfigFile { runDir?: string; dbPath?: string; mounts?: Record<string, string> }

/**
 * Resolves flags → `$CONSIST_RUN_DIR`/`$CONSIST_DB` → `./consist.config.json` → `./runs`.
 * Paths in the config file are relative to the file. Mounts are the config file's, overridden
 * name by name by `--mount name=path` (relative to `cwd`). With only `--db`, the runs folder is the
 * database's folder.
 */
export function resolveStore(flags: StoreFlags, cwd = process.cwd(), env = process.env): StoreLocation {
  const configPath = path.resolve(cwd, flags.config ?? CONFIG_FILE);
  const config = readConfig(configPath, flags.config !== undefined);
  const base = path.dirname(configPath);
  const fromConfig = (p: string | undefined) => (p === undefined ? undefined : path.resolve(base, p));
  const dbFlag = flags.db ?? (env.CONSIST_DB || undefined);
  const runDir = path.resolve(cwd, flags.runDir ?? (env.CONSIST_RUN_DIR || undefined)
    ?? fromConfig(config.runDir) ?? (dbFlag ? path.dirname(path.resolve(cwd, dbFlag)) : 'runs'));
  const dbPath = dbFlag ? path.resolve(cwd, dbFlag)
    : fromConfig(config.dbPath) ?? path.join(runDir, 'provenance.duckdb');
  const mounts = {
    ...Object.fromEntries(Object.entries(config.mounts ?? {}).map(([k, v]) => [k, path.resolve(base, v)])),
    ...Object.fromEntries(Object.entries(flags.mount ?? {}).map(([k, v]) => [k, path.resolve(cwd, v)])),
  };
  return { runDir, dbPath, mounts, lockTimeoutMs: flags.lockTimeout ?? 10_000 };
}

function readConfig(file: string, required: boolean): ConfigFile {
  if (!existsSync(file)) {
    if (required) throw CliError.invalidConfig(file, 'the file does not exist');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw CliError.invalidConfig(file, (err as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw CliError.invalidConfig(file, 'expected a JSON object');
  const c = parsed as Record<string, unknown>;
  for (const k of ['runDir', 'dbPath'] as const) {
    if (c[k] !== undefined && typeof c[k] !== 'string') throw CliError.invalidConfig(file, `'${k}' must be a string`);
  }
  const mounts = c.mounts;
  if (mounts !== undefined && (typeof mounts !== 'object' || mounts === null
    || Object.values(mounts).some((v) => typeof v !== 'string'))) {
    throw CliError.invalidConfig(file, "'mounts' must map names to directory strings");
  }
  return c as ConfigFile;
}
