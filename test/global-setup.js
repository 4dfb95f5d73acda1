'use strict';
/**
 * Jest global setup: the CLI tests spawn the built binary (`dist/cli/main.js`), so `dist` is
 * brought up to date ONCE here, before any test file runs — test files never rebuild it (a rebuild
 * while another file spawns the CLI made it read half-written files).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The `consist ui` page bundle (scripts/build-ui.js), rebuilt when its sources are newer. */
function buildUiPage() {
  const app = path.join(ROOT, 'dist', 'ui', 'static', 'app.js');
  const built = fs.existsSync(app) ? fs.statSync(app).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'src', 'ui', 'page'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-ui.js')], { cwd: ROOT, stdio: 'pipe' });
}

module.exports = async function globalSetup() {
  buildUiPage();
  const main = path.join(ROOT, 'dist', 'cli', 'main.js');
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'src'))) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, stdio: 'pipe' });
  } catch {
    // A type error still emits JavaScript; `npm test` reports type errors in its own tsc step.
  }
  fs.utimesSync(main, new Date(), new Date());
};
