'use strict';
/**
 * Bundles the `consist ui` page (src/ui/page) into dist/ui/static: app.js (esbuild, with dagre
 * inlined), index.html and style.css. Part of `npm run build`; esbuild and dagre are build-time
 * devDependencies, so the published package ships the bundle and adds no runtime dependency.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src', 'ui', 'page');
const OUT = path.join(ROOT, 'dist', 'ui', 'static');

async function main() {
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    if (fs.existsSync(path.join(OUT, 'app.js'))) return; // a packaged build: the bundle is already there
    throw new Error('esbuild is not installed: run `npm install` (it is a devDependency) to build the UI page');
  }
  fs.mkdirSync(OUT, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(SRC, 'main.ts')], outfile: path.join(OUT, 'app.js'), bundle: true, minify: true,
    format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning', legalComments: 'linked',
  });
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(SRC, f), path.join(OUT, f));
}

main().catch((err) => {
  process.stderr.write(`build-ui: ${err.message}\n`);
  process.exit(1);
});
