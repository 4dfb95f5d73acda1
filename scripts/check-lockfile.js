#!/usr/bin/env node
'use strict';
/**
 * Checks that package-lock.json covers every platform: each optional dependency of every locked
 * package (e.g. @duckdb/node-bindings-darwin-arm64, -win32-x64, …) has its own entry with an
 * integrity hash, so an install on macOS, Windows or Linux arm64 gets its binary from the lock.
 * npm drops those entries when a lockfile is written over an existing node_modules; see
 * docs/packaging.md for the procedure that keeps them (scripts/check-lockfile.sh --regenerate).
 *
 *   node scripts/check-lockfile.js [package-lock.json]     exit 1 and a list when entries are missing
 */
const fs = require('node:fs');
const path = require('node:path');

/** The lockfile key a dependency `name` of the package at `key` resolves to (Node's lookup), or undefined. */
function resolveKey(packages, key, name) {
  let base = key;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** Missing or hash-less optional-dependency entries of a parsed lockfile, as `dependent → name` lines. */
function missingOptionalEntries(lock) {
  const packages = lock.packages || {};
  const problems = [];
  for (const [key, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry.optionalDependencies || {})) {
      const found = resolveKey(packages, key, name);
      if (!found) problems.push(`${key || '(root)'} → ${name}: no entry`);
      else if (!packages[found].integrity && !packages[found].link) problems.push(`${key || '(root)'} → ${name}: no integrity`);
    }
  }
  return problems;
}

module.exports = { missingOptionalEntries };

if (require.main === module) {
  const file = process.argv[2] || path.join(__dirname, '..', 'package-lock.json');
  const problems = missingOptionalEntries(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (problems.length) {
    console.error(`${file} misses other platforms' optional packages (regenerate it: scripts/check-lockfile.sh --regenerate):`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`${path.basename(file)}: every optional (per-platform) dependency is locked with its integrity`);
}
