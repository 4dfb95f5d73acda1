#!/usr/bin/env node
'use strict';
/**
 * Builds native/consist_arrow_parquet.node (the Arrow → Parquet writer over DuckDB's core Arrow
 * scan, see native/arrow_parquet.c) with the node-gyp that npm ships, against the libduckdb of
 * @duckdb/node-bindings. Run by `npm install` (the `install` script), `npm rebuild consist-ts` and
 * `npm run build:native`. It never fails the install: where the addon cannot be built, one line says
 * so and Parquet outputs take the portable path (src/engine/arrow-scan.ts). See docs/packaging.md.
 *
 *   CONSIST_NATIVE=0   skip the build (and, at run time, never load the addon)
 * Skipped quietly on Windows (not supported yet) and where python3, make or a C compiler is missing;
 * a failed build's output goes to native/build.log.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const nativeDir = path.join(__dirname, '..', 'native');
const PORTABLE = 'Parquet outputs use the portable writer';

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

/** True when `cmd` is an executable file in a PATH folder (or an existing path). */
function onPath(cmd) {
  if (cmd.includes('/')) return existsSync(cmd);
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, cmd)));
}

/** What the build needs and this machine lacks (empty when it can try). */
function missingTools() {
  const missing = [];
  if (!onPath('python3') && !onPath('python')) missing.push('python3');
  if (!onPath('make')) missing.push('make');
  const cc = process.env.CC ? process.env.CC.trim().split(/\s+/)[0] : undefined;
  if (cc ? !onPath(cc) : !['cc', 'gcc', 'clang'].some(onPath)) missing.push('a C compiler');
  return missing;
}

function main() {
  if (process.env.CONSIST_NATIVE === '0') return console.log(`consist-ts: CONSIST_NATIVE=0, native Parquet writer not built; ${PORTABLE}`);
  if (process.platform === 'win32') return console.log(`consist-ts: the native Parquet writer is not built on Windows yet; ${PORTABLE}`);
  const missing = missingTools();
  if (missing.length) return console.log(`consist-ts: no ${missing.join(', ')} here, native Parquet writer not built; ${PORTABLE}`);
  const gyp = nodeGyp();
  if (!gyp) return console.log(`consist-ts: node-gyp not found, native Parquet writer not built; ${PORTABLE}`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: nativeDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const log = path.join(nativeDir, 'build.log');
    try {
      writeFileSync(log, `${r.stdout || ''}${r.stderr || ''}${r.error ? String(r.error) : ''}`);
    } catch {
      // a read-only install folder: the one line below still says what happened
    }
    console.log(`consist-ts: the native Parquet writer did not build (see ${log}); ${PORTABLE}`);
  }
}

main();
