import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace } from '../../helpers/workspace';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { missingOptionalEntries } = require(path.join(ROOT, 'scripts/check-lockfile.js')) as {
  missingOptionalEntries(lock: unknown): string[];
};

/** Runs scripts/build-native.js with `env` (over a minimal environment); returns its stdout + stderr. */
function buildNative(env: Record<string, string>): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-native.js')], {
    env: { HOME: process.env.HOME ?? '', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('packaging', () => {
  it('package-lock.json locks every platform\'s optional packages (DuckDB for macOS, Windows, Linux arm64) with integrity', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    expect(missingOptionalEntries(lock)).toEqual([]);
    for (const platform of ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-x64', 'win32-arm64']) {
      expect(lock.packages[`node_modules/@duckdb/node-bindings-${platform}`]?.integrity).toMatch(/^sha512-/);
    }
  });

  it('reports a lockfile that lacks another platform\'s package', () => {
    const lock = {
      packages: {
        '': { dependencies: { a: '1' } },
        'node_modules/a': { version: '1', integrity: 'sha512-x', optionalDependencies: { 'a-darwin': '1', 'a-linux': '1' } },
        'node_modules/a-linux': { version: '1', integrity: 'sha512-y', optional: true },
      },
    };
    expect(missingOptionalEntries(lock)).toEqual(['node_modules/a → a-darwin: no entry']);
  });

  it('skips the native addon build quietly, with one line, where there is no C toolchain', () => {
    const ws = tmpWorkspace('no-toolchain-');
    try {
      symlinkSync(process.execPath, ws.path('node')); // a PATH with node only: no python3, make or cc
      const out = buildNative({ PATH: ws.path() });
      expect(out.trim().split('\n')).toEqual([expect.stringMatching(/no python3, make, a C compiler here.*portable writer/)]);
    } finally {
      ws.cleanup();
    }
  });

  it('skips the native addon build with CONSIST_NATIVE=0', () => {
    expect(buildNative({ PATH: process.env.PATH ?? '', CONSIST_NATIVE: '0' }).trim()).toMatch(/^consist-ts: CONSIST_NATIVE=0, native Parquet writer not built/);
  });
});
