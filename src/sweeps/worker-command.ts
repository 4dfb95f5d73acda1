import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The worker command without `worker <job.json>`: this node binary and the CLI entry next to the
 * library copy that is running, so a worker loads the very same library (and the step module the
 * same way). When running from TypeScript sources (tests), ts-node's transpile-only loader is added.
 */
export function workerArgv(): string[] {
  const ext = path.extname(__filename);
  const main = path.resolve(__dirname, '..', 'cli', `main${ext}`);
  if (ext !== '.ts') return [process.execPath, main];
  return [process.execPath, '-r', require.resolve('ts-node/register/transpile-only'), main];
}

const PASSED = /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|NODE_PATH|NODE_OPTIONS|TS_NODE_[A-Z_]+|CONSIST_[A-Z0-9_]+|SLURM_CONF)$/;

/** The explicit environment of a worker: the few variables it needs from ours, plus `extra`. */
export function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && PASSED.test(k)) env[k] = v;
  if (path.extname(__filename) === '.ts' && !env.TS_NODE_PROJECT) {
    const tsconfig = path.resolve(__dirname, '..', '..', 'tsconfig.json');
    if (fs.existsSync(tsconfig)) env.TS_NODE_PROJECT = tsconfig;
  }
  return { ...env, ...extra };
}
