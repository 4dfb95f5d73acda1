import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { FormatError } from '../errors';

/**
 * Loads a file of an ESM-only package (h5wasm, numcodecs) with `require`: plain Node ≥ 20.19
 * loads ES modules through `require`, and the tests compile these packages to CommonJS
 * (test/esm-cjs-transform.js). Their `exports` maps offer only an `import` condition, so the file is
 * found by walking the `node_modules` folders `require` would search. @internal
 */
export function requireEsm<T>(pkg: string, file: string): T {
  const searched = require.resolve.paths(pkg) ?? [];
  for (const dir of searched) {
    const candidate = nodePath.join(dir, pkg, file);
    if (existsSync(candidate)) return require(candidate) as T;
  }
  throw FormatError.packageMissing(pkg);
}
