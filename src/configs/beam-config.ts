import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ModelConfigError } from '../errors';
import type { HoconField, HoconInclude } from './hocon-ast';
import { HoconParser } from './hocon-parser';
import { resolveHocon } from './hocon-resolve';
import type { ResolvedModelConfig } from './source-position';

const CODE_EXTENSIONS = /\.(?:js|mjs|cjs|ts|jsx|tsx|py|sh)$/i;

/**
 * Reads a HOCON file (BEAM's `beam.conf`) with its includes and resolves substitutions. Includes
 * are local files under `root` only: `url(…)`, `classpath(…)`, absolute paths or `../` outside the
 * root are refused, and so is including a script (`.js`, …) that other HOCON tools would execute.
 * @internal
 */
export function loadHocon(file: string, rootDir: string): ResolvedModelConfig {
  const main = path.resolve(file);
  const root = path.resolve(rootDir);
  if (!existsSync(main) || !statSync(main).isFile()) throw ModelConfigError.notFound('file', file);
  if (!inside(root, main)) throw ModelConfigError.includeOutsideRoot({ file: path.basename(main) }, main, root);
  const files: string[] = [];
  const fileNames: string[] = [];
  const shownOf = (abs: string) => path.relative(root, abs).split(path.sep).join('/');

  const parseFile = (abs: string, prefix: readonly string[], stack: readonly string[]): HoconField[] => {
    files.push(abs);
    fileNames.push(shownOf(abs));
    const includer = (inc: HoconInclude, at: readonly string[]): HoconField[] => {
      const target = locate(inc, abs, root, shownOf(abs));
      if (!target) return [];
      if (stack.includes(target)) throw ModelConfigError.syntax(inc.pos, `include loop through ${[...stack, target].map(shownOf).join(' → ')}`);
      return parseFile(target, at, [...stack, target]);
    };
    return new HoconParser(readFileSync(abs, 'utf8'), shownOf(abs), [...prefix], includer).parse();
  };
  const { value, positions } = resolveHocon(parseFile(main, [], [main]));
  return { kind: 'beam', value, positions, files: [...new Set(files)], fileNames: [...new Set(fileNames)], overrides: {} };
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The file an include names, checked; undefined for a missing optional include (HOCON semantics). */
function locate(inc: HoconInclude, from: string, root: string, shown: string): string | undefined {
  const place = inc.pos;
  if (inc.kind === 'url' || /^[a-z][a-z0-9+.-]*:\/\//i.test(inc.target)) throw ModelConfigError.includeOutsideRoot(place, inc.target, root);
  if (inc.kind === 'classpath') throw ModelConfigError.includeOutsideRoot(place, `classpath(${inc.target})`, root);
  if (CODE_EXTENSIONS.test(inc.target)) throw ModelConfigError.codeDirective(place, `include '${inc.target}' (a script)`);
  const base = path.resolve(path.dirname(from), inc.target);
  if (!inside(root, base)) throw ModelConfigError.includeOutsideRoot(place, inc.target, root);
  const candidates = path.extname(base) ? [base] : [base, `${base}.conf`, `${base}.json`];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (found && /\.properties$/i.test(found)) throw ModelConfigError.syntax(place, `include '${inc.target}': .properties files are not supported`);
  if (!found && inc.required) throw ModelConfigError.notFound(`file (required include in ${shown})`, inc.target);
  return found;
}
