#!/usr/bin/env node
'use strict';
/**
 * Writes README.md's "Use it in your project" section into a project folder, verbatim, for
 * scripts/pack-test.sh: its code blocks in order are the install commands (install.sh), the
 * tsconfig.json, the program (src/main.ts) and the run commands (run.sh).
 *
 *   node scripts/readme-section.js README.md <project-dir>
 */
const fs = require('node:fs');
const path = require('node:path');

const [readme, dir] = process.argv.slice(2);
if (!readme || !dir) {
  console.error('usage: node scripts/readme-section.js README.md <project-dir>');
  process.exit(2);
}
const text = fs.readFileSync(readme, 'utf8');
const start = text.indexOf('\n## Use it in your project\n');
if (start < 0) throw new Error('README.md has no "## Use it in your project" section');
const end = text.indexOf('\n## ', start + 1);
const section = text.slice(start, end < 0 ? undefined : end);
const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
const expected = ['bash', 'json', 'ts', 'bash'];
if (blocks.map((b) => b.lang).join() !== expected.join()) {
  throw new Error(`README's "Use it in your project" must have code blocks ${expected.join(', ')} in that order; ` +
    `found ${blocks.map((b) => b.lang).join(', ')}`);
}
const files = ['install.sh', 'tsconfig.json', path.join('src', 'main.ts'), 'run.sh'];
fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
blocks.forEach((b, i) => fs.writeFileSync(path.join(dir, files[i]), b.body));
