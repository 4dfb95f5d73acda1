import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
/** The built binary the tests spawn (package.json `bin.consist`). */
export const CLI_MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');

/** Checks the CLI is built; `test/global-setup.js` builds `dist` once before any test file runs. */
export function buildDist(): void {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npm run build\``);
}

/** What one `consist …` process did. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node dist/cli/main.js …args` in `cwd` (no TTY, so no colours and no prompts). */
export function consist(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CONSIST_DB: '', CONSIST_RUN_DIR: '', ...env }, timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses stdout as JSON, showing stderr when it is not. */
export function json<T = unknown>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}
