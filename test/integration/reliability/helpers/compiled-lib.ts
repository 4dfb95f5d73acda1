import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../../..');
const SRC = path.join(ROOT, 'src');

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Transpiles `src/` once (per content hash) into `node_modules/.cache/consist-reliability/<hash>`,
 * so worker processes load plain JS in ~0.3 s instead of ts-node's ~2 s each. Transpile-only is
 * enough: workers use function steps, which need no decorator metadata. Returns the folder that
 * mirrors `src/`; `require(path.join(dir, 'tracker/tracker.js'))`.
 */
export function compiledLibDir(): string {
  const files = sourceFiles(SRC);
  const hash = createHash('sha256');
  const texts = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    hash.update(f).update('\0').update(text).update('\0');
    return text;
  });
  const base = path.join(ROOT, 'node_modules', '.cache', 'consist-reliability');
  const dir = path.join(base, hash.digest('hex').slice(0, 16));
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  files.forEach((f, i) => {
    const out = path.join(tmp, path.relative(SRC, f)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, ts.transpileModule(texts[i], { compilerOptions: OPTIONS, fileName: f }).outputText);
  });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another jest worker won the race
  }
  return dir;
}
