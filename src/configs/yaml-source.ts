import { readFileSync } from 'node:fs';
import type * as YamlModule from 'yaml';
import type { LineCounter, Node } from 'yaml';
import { ModelConfigError } from '../errors';
import { joinKeyPath, type JsonValue } from '../identity/canonical';
import { pyyamlTags } from './pyyaml-tags';

let yamlModule: typeof YamlModule | undefined;

/** The yaml package, loaded with the first YAML file: ≈ 20 ms of `require` that opening a tracker never needs. */
function yamlLib(): typeof YamlModule {
  yamlModule ??= require('yaml') as typeof YamlModule;
  return yamlModule;
}

/** One YAML file read as PyYAML's `safe_load` would, with the line of every key. @internal */
export interface YamlSource {
  value: JsonValue;
  /** In-file path (`a.b[2]`) → 1-based line. */
  lines: Map<string, number>;
}

/**
 * Parses a YAML file with YAML 1.1 semantics as PyYAML reads them (`yes/no/on/off` booleans,
 * `0777` octal, `1:30` sexagesimal, `1e3` a string, merge keys `<<`), but refuses what PyYAML
 * would silently accept or run: duplicate keys, unknown and `!!python/…` tags.
 *
 * @param shown the file name used in error messages.
 * @throws ModelConfigError `CONFIG_SYNTAX`, `CONFIG_DUPLICATE_KEY`, `CONFIG_CODE_DIRECTIVE`.
 */
export function readYamlSource(file: string, shown: string): YamlSource {
  const text = readFileSync(file, 'utf8');
  const { LineCounter, parseDocument } = yamlLib();
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: counter, version: '1.1', merge: true, uniqueKeys: true, customTags: pyyamlTags, prettyErrors: false,
  });
  const place = (offset: number) => ({ file: shown, ...lineCol(counter, offset) });
  for (const e of doc.errors) {
    const where = place(e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') throw ModelConfigError.duplicateKey(where, duplicateName(text, e.pos[0]));
    throw ModelConfigError.syntax(where, `invalid YAML (${e.code}): ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  for (const w of doc.warnings) {
    const where = place(w.pos[0]);
    if (/python\//.test(w.message)) throw ModelConfigError.codeDirective(where, 'a !!python/… tag');
    if (w.code === 'TAG_RESOLVE_FAILED') throw ModelConfigError.syntax(where, `unknown YAML tag (${w.message.split(' at line')[0]}); PyYAML's safe_load refuses it too`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw ModelConfigError.syntax({ file: shown }, `cannot build the YAML value (${err instanceof Error ? err.message : String(err)})`);
  }
  const lines = new Map<string, number>();
  if (doc.contents) collectLines(doc.contents, '', counter, lines);
  return { value: toJson(raw), lines };
}

function lineCol(counter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

function duplicateName(text: string, offset: number): string {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([^:#\n]+?))\s*:/.exec(text.slice(offset, offset + 400));
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '?').trim();
}

function collectLines(node: Node | unknown, path: string, counter: LineCounter, out: Map<string, number>): void {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLib();
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (typeof pair.key.value === 'symbol' || pair.key.value === '<<') continue;
      const key = String(pair.key.value);
      const child = joinKeyPath(path, key);
      if (pair.key.range) out.set(child, counter.linePos(pair.key.range[0]).line);
      if (pair.value && !isAlias(pair.value)) collectLines(pair.value, child, counter, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const child = `${path}[${i}]`;
      const range = (item as Node | null)?.range;
      if (range) out.set(child, counter.linePos(range[0]).line);
      if (!isAlias(item)) collectLines(item, child, counter, out);
    });
  }
}

/** Maps what `toJS` gives to JSON: non-finite floats → `{ $float }`, big ints → `{ $bigint }`, dates → ISO text. */
function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $float: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf' };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Map || value instanceof Set) return toJson(value instanceof Set ? [...value] : Object.fromEntries(value));
  const out: { [k: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value as object)) out[k] = toJson(v);
  return out;
}
