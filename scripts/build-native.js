#!/usr/bin/env node
'use strict';
/**
 * Builds native/consist_arrow_parquet.node (the Arrow → Parquet writer over DuckDB's core Arrow
 * scan, see native/arrow_parquet.c) with the node-gyp that npm ships, against the libduckdb.so of
 * @duckdb/node-bindings. Run by `npm install` (the `install` script) and `npm run build:native`.
 * A failed build never fails the install: Parquet outputs then take the portable path
 * (src/engine/arrow-scan.ts). Set CONSIST_NATIVE=0 to skip the build.
 */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const nativeDir = path.join(__dirname, '..', 'native');

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [path.dirname(require.resolve('npm/package.json'))] }));
  } catch {
    // npm is not resolvable as a module here; the other candidates remain
  }
  return candidates.find((c) => c && existsSync(c));
}

function main() {
  if (process.env.CONSIST_NATIVE === '0') return console.log('consist-ts: CONSIST_NATIVE=0, native Parquet writer not built');
  const gyp = nodeGyp();
  if (!gyp) return console.warn('consist-ts: node-gyp not found; Parquet outputs use the portable writer');
  const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: nativeDir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.warn('consist-ts: the native Parquet writer did not build (needs python3, make and a C compiler); ' +
      'Parquet outputs use the portable writer');
  }
}

main();
