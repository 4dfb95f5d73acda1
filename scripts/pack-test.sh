#!/usr/bin/env bash
# The published package, used as a new user would (docs/packaging.md): packs consist-ts, installs the
# tarball into an empty project, then follows README.md's "Use it in your project" section VERBATIM —
# its install commands (the package name replaced by the tarball), its tsconfig.json, its src/main.ts
# and its run commands — and runs `consist --help`, `consist demo` and `consist runs` from there.
# Finally approves the install script and rebuilds, as the README says, to check the native addon
# builds from the shipped sources and the program still runs.
#
#   scripts/pack-test.sh            packs the current dist/ (run after `npm install` / `npm run build`)
#   scripts/pack-test.sh --build    runs `npm run build` first
#   KEEP=1 scripts/pack-test.sh     keeps the temporary project (its path is printed)
# Needs the npm registry (or the npm cache) for the package's dependencies and typescript.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/consist-pack-test.XXXXXX")"
if [[ "${KEEP:-}" == 1 ]]; then echo "pack-test: project kept in $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
fail() { echo "pack-test FAILED: $*" >&2; exit 1; }
step() { echo; echo "== pack-test: $*"; }
expect() { grep -qF -- "$2" "$1" || { cat "$1"; fail "expected \"$2\" in the output above"; }; }

cd "$ROOT"
[[ "${1:-}" == --build ]] && npm run build
[[ -f dist/cli/main.js && -f dist/demo/main.js ]] || fail "dist/ is not built: run npm run build (or pass --build)"

step "npm pack"
TARBALL="$WORK/$(npm pack --ignore-scripts --silent --pack-destination "$WORK" | tail -1)"
[[ -f "$TARBALL" ]] || fail "npm pack produced no tarball"
echo "tarball: $(basename "$TARBALL"), $(du -k "$TARBALL" | cut -f1) kB"
tar tzf "$TARBALL" > "$WORK/contents.txt"
if grep -E '^package/(src|test|bench|examples|dist-examples)/|\.map$|\.test\.' "$WORK/contents.txt"; then
  fail "the tarball ships files it should not (above)"
fi
for f in dist/index.js dist/index.d.ts dist/cli/main.js dist/demo/main.js native/arrow_parquet.c native/binding.gyp scripts/build-native.js; do
  grep -qx "package/$f" "$WORK/contents.txt" || fail "the tarball lacks $f"
done

step "README's 'Use it in your project', verbatim"
APP="$WORK/app"
mkdir -p "$APP/src"
node "$ROOT/scripts/readme-section.js" "$ROOT/README.md" "$APP"
cd "$APP"
echo '{ "name": "consist-pack-test-app", "version": "1.0.0", "private": true }' > package.json
# The README's install block; only the package name becomes the tarball's path.
sed -E "s#^npm install consist-ts\$#npm install --no-audit --no-fund $TARBALL#" install.sh > install-tarball.sh
grep -qF "$TARBALL" install-tarball.sh || fail "the README's install block no longer has the line 'npm install consist-ts'"
bash -euxo pipefail install-tarball.sh 2>&1 | tee install.log
node -e "require('consist-ts/package.json')" || fail "consist-ts did not install"
bash -euxo pipefail run.sh > run.log 2>&1 || { cat run.log; fail "the README's program failed"; }
cat run.log
expect run.log 'cache hit: true'
expect run.log 'year 2020: person 3 made 3 trips'
expect run.log 'year 2040: person 3 made 9 trips'
expect run.log 'baseline_SimulateYear'
if grep -q 'warning' run.log; then fail "the README's program printed a warning (above)"; fi

step "consist --help, demo, runs"
npx consist --help > help.log 2>&1 || { cat help.log; fail "consist --help"; }
expect help.log 'demo'
npx consist demo --run-dir demo-runs > demo.log 2>&1 || { cat demo.log; fail "consist demo"; }
expect demo.log 'Cross-run SQL'
expect demo.log 'cache hits 4'
npx consist runs --run-dir demo-runs --limit 3 > runs.log 2>&1 || { cat runs.log; fail "consist runs"; }
cat runs.log
expect runs.log 'completed'

step "native addon: approve the install script and rebuild (README)"
if command -v make > /dev/null && command -v python3 > /dev/null && { command -v cc > /dev/null || command -v gcc > /dev/null; }; then
  npm install-scripts approve consist-ts > /dev/null
  npm rebuild consist-ts > rebuild.log 2>&1 || { cat rebuild.log; fail "npm rebuild consist-ts"; }
  [[ -f node_modules/consist-ts/native/build/Release/consist_arrow_parquet.node ]] || { cat rebuild.log; fail "the addon was not built"; }
  rm -rf runs && node dist/main.js > native.log 2>&1 || { cat native.log; fail "the program with the native addon"; }
  expect native.log 'year 2040: person 3 made 9 trips'
  if grep -q 'warning' native.log; then cat native.log; fail "the native addon was built but warned at load"; fi
  node -e "const a = require('./node_modules/consist-ts/native/build/Release/consist_arrow_parquet.node');
    if (a.builtFor !== a.libraryVersion()) process.exit(1);" || fail "the addon was built for another DuckDB"
  echo "native addon built; the program ran with it, without a warning"
else
  echo "pack-test: no C toolchain here (make, python3, cc): the native addon build is not checked"
fi

echo
echo "pack-test: OK ($(basename "$TARBALL"))"
