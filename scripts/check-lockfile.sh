#!/usr/bin/env bash
# package-lock.json: complete for every platform, and what `npm install` leaves alone (docs/packaging.md).
#
#   scripts/check-lockfile.sh                 after `npm install`: every platform's optional packages are
#                                             locked with integrity, and the install did not rewrite the lockfile
#   scripts/check-lockfile.sh --regenerate    rewrites package-lock.json from package.json (keeping the versions
#                                             already locked) in a scratch folder WITHOUT node_modules — the
#                                             reliable way to record every platform's optional packages — then checks it
#   scripts/check-lockfile.sh --regenerate --fresh   the same from no lockfile at all (re-resolves every range)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

if [[ "${1:-}" == --regenerate ]]; then
  SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/consist-lock.XXXXXX")"
  trap 'rm -rf "$SCRATCH"' EXIT
  cp package.json "$SCRATCH/"
  if [[ "${2:-}" != --fresh && -f package-lock.json ]]; then
    grep -q '^<<<<<<<' package-lock.json && { echo "package-lock.json has merge conflict markers: take one side first (git checkout --theirs package-lock.json) or use --fresh" >&2; exit 1; }
    cp package-lock.json "$SCRATCH/"
  fi
  (cd "$SCRATCH" && npm install --ignore-scripts --no-audit --no-fund)
  cp "$SCRATCH/package-lock.json" package-lock.json
  node scripts/check-lockfile.js
  echo "package-lock.json regenerated; now run 'npm install' here and 'scripts/check-lockfile.sh' (it must report no change), then commit."
  exit 0
fi

node scripts/check-lockfile.js
if ! git diff --exit-code --stat package-lock.json; then
  echo "npm install rewrote package-lock.json (diff above): regenerate it with scripts/check-lockfile.sh --regenerate and commit it" >&2
  exit 1
fi
echo "package-lock.json: unchanged by npm install"
