import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ModelConfigError } from '../errors';
import { joinKeyPath, type JsonValue } from '../identity/canonical';
import type { PositionMap, ResolvedModelConfig } from './source-position';
import { readYamlSource, type YamlSource } from './yaml-source';

type JsonObject = { [key: string]: JsonValue };

/** The key under which non-YAML files (expression CSVs, coefficients) appear, by content hash. */
export const FILES_KEY = '$files';

interface Dir { abs: string; label: string }

/**
 * Reads an ActivitySim configs folder list the way ActivitySim does: a file name is looked up in
 * the overlay folders first, then in `dir` (file-level override); `inherit_settings: true` in a
 * YAML file backfills its top-level keys from the same file further down the list,
 * `inherit_settings: other.yaml` from that file, and `include_settings: x.yaml` (alone in a file)
 * reads `x.yaml` instead. Each YAML file becomes a key named after its path without `.yaml`
 * (`settings`, `school_location`); every other file is hashed by content under `$files`.
 * @internal
 */
export function loadActivitySim(dirs: readonly string[]): ResolvedModelConfig {
  const abs = dirs.map((d) => {
    const a = path.resolve(d);
    if (!existsSync(a) || !statSync(a).isDirectory()) throw ModelConfigError.notFound('folder', d);
    return a;
  });
  // Labels relative to the folders' common parent: `configs_mp`, `configs`; `a/configs`, `b/configs` when names repeat.
  const parent = abs.map((a) => path.dirname(a)).reduce(commonAncestor);
  const list = abs.map((a): Dir => ({ abs: a, label: path.relative(parent, a).split(path.sep).join('/') || path.basename(a) }));
  const reader = new CascadeReader(list);
  const names = [...new Set(list.flatMap((d) => listFiles(d.abs, '')))].sort();
  const value: JsonObject = {};
  const positions: PositionMap = new Map();
  const files: JsonObject = {};
  for (const name of names) {
    if (/\.ya?ml$/i.test(name)) {
      const key = name.replace(/\.ya?ml$/i, '');
      if (Object.prototype.hasOwnProperty.call(value, key)) continue;
      const settings = reader.settings(name, []);
      const at = joinKeyPath('', key);
      value[key] = settings.other !== undefined ? settings.other : settings.value;
      positions.set(at, { file: settings.rootFile, line: 1, key: '' });
      for (const [inner, pos] of settings.positions) positions.set(inner.startsWith('[') ? `${at}${inner}` : `${at}.${inner}`, pos);
    } else {
      const dir = reader.find(name)!;
      const abs = path.join(dir.abs, name);
      files[name] = `sha256:${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
      reader.read(abs, `${dir.label}/${name}`);
      positions.set(joinKeyPath(FILES_KEY, name), { file: `${dir.label}/${name}`, key: name });
    }
  }
  if (Object.keys(files).length) value[FILES_KEY] = files;
  return { kind: 'activitysim', value, positions, files: reader.files, fileNames: reader.fileNames, overrides: {} };
}

function commonAncestor(a: string, b: string): string {
  let p = a;
  while (p !== path.dirname(p) && path.relative(p, b).startsWith('..')) p = path.dirname(p);
  return p;
}

function listFiles(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

interface Settings {
  value: JsonObject;
  positions: PositionMap;
  rootFile: string;
  /** A YAML file whose top level is not a mapping (a list, a scalar): taken as is, no inheritance. */
  other?: JsonValue;
}

class CascadeReader {
  readonly files: string[] = [];
  readonly fileNames: string[] = [];

  constructor(private readonly dirs: readonly Dir[]) {}

  find(name: string, from = 0): Dir | undefined {
    return this.dirs.slice(from).find((d) => existsSync(path.join(d.abs, name)));
  }

  read(abs: string, shown: string): void {
    if (!this.files.includes(abs)) { this.files.push(abs); this.fileNames.push(shown); }
  }

  /** ActivitySim's `read_settings_file`: first match wins, backfilled while `inherit_settings` says so. */
  settings(name: string, stack: string[]): Settings {
    const out: Settings = { value: {}, positions: new Map(), rootFile: '' };
    for (let i = 0; i < this.dirs.length; i++) {
      const dir = this.dirs[i];
      const abs = path.join(dir.abs, name);
      if (!existsSync(abs)) continue;
      const shown = `${dir.label}/${name}`;
      if (stack.includes(abs)) throw ModelConfigError.syntax({ file: shown }, `inherit_settings/include_settings loop through ${stack.map((s) => path.basename(s)).join(' → ')}`);
      stack = [...stack, abs];
      this.read(abs, shown);
      const src = readYamlSource(abs, shown);
      if (!out.rootFile) out.rootFile = shown;
      if (src.value !== null && (typeof src.value !== 'object' || Array.isArray(src.value))) {
        if (Object.keys(out.value).length) throw ModelConfigError.syntax({ file: shown, line: 1 }, 'an inherited settings file must be a mapping of keys to values');
        return { value: {}, positions: located(src, shown), rootFile: shown, other: src.value };
      }
      const s = (src.value ?? {}) as JsonObject;
      if (typeof s.include_settings === 'string') {
        if (Object.keys(s).length > 1) throw ModelConfigError.syntax({ file: shown, line: src.lines.get('include_settings') }, "'include_settings' must appear alone in the file");
        backfill(out, this.settings(s.include_settings, stack));
      } else {
        backfill(out, { value: s, positions: located(src, shown), rootFile: shown });
      }
      const inherit = s.inherit_settings;
      if (typeof inherit === 'string') { backfill(out, this.settings(inherit, stack)); break; }
      if (inherit !== true) break;
    }
    delete out.value.inherit_settings;
    return out;
  }
}

function located(src: YamlSource, shown: string): PositionMap {
  const out: PositionMap = new Map();
  for (const [key, line] of src.lines) out.set(key, { file: shown, line, key });
  return out;
}

const TOP_SEGMENT = /^(?:[A-Za-z_$][A-Za-z0-9_$]*|\["(?:[^"\\]|\\.)*"\])/;

/** Keys already set win (ActivitySim's `backfill_settings` is shallow). */
function backfill(into: Settings, from: Settings): void {
  const taken = new Set<string>();
  for (const [key, v] of Object.entries(from.value)) {
    if (Object.prototype.hasOwnProperty.call(into.value, key)) continue;
    into.value[key] = v;
    taken.add(joinKeyPath('', key));
  }
  for (const [inner, pos] of from.positions) {
    const top = TOP_SEGMENT.exec(inner)?.[0];
    if (top !== undefined && taken.has(top)) into.positions.set(inner, pos);
  }
}
