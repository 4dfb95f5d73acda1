import type { JsonValue } from '../identity';
import { positionOf, type PositionMap } from '../configs/source-position';

/** One changed key of a model config, located in its file. */
export interface ConfigKeyChange {
  /** The resolved path (`settings.households_sample_size`). */
  key: string;
  change: 'added' | 'removed' | 'changed';
  /** The file that sets the key now (`configs/settings.yaml`), `(override)` for `withOverrides`. */
  file?: string;
  line?: number;
  before?: JsonValue;
  after?: JsonValue;
  /** True when the new value comes from `withOverrides`. */
  override?: boolean;
  /** `configs/settings.yaml:12 households_sample_size 100 → 200`. */
  text: string;
}

const SEGMENT = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;

/** The value at a path printed by `diffConfigPaths` (`a.b[2]["x y"]`), or undefined. @internal */
export function valueAt(root: JsonValue | undefined, path: string): JsonValue | undefined {
  let node = root;
  for (const m of path.matchAll(SEGMENT)) {
    if (node === null || typeof node !== 'object' || node === undefined) return undefined;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string));
    if (Array.isArray(node)) node = typeof key === 'number' ? node[key] : undefined;
    else node = Object.prototype.hasOwnProperty.call(node, key) ? node[String(key)] : undefined;
  }
  return node;
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Locates each changed config key in the files of the current run (`file:line key before → after`).
 * @param previousOverrides resolved paths the compared run had overridden.
 * @internal
 */
export function describeConfigChanges(options: {
  keys: readonly string[]; before: JsonValue; after: JsonValue; positions: PositionMap; previousOverrides: readonly string[];
}): ConfigKeyChange[] {
  return options.keys.map((key) => {
    const before = valueAt(options.before, key);
    const after = valueAt(options.after, key);
    const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    const pos = positionOf(options.positions, key);
    const exact = pos && options.positions.get(key) === pos;
    const name = pos?.override ? key : exact && pos.key ? pos.key : key;
    const where = pos ? (pos.override ? '(override)' : pos.line ? `${pos.file}:${pos.line}` : pos.file) : '(config)';
    const dropped = !pos?.override && options.previousOverrides.some((o) => key === o || key.startsWith(`${o}.`) || key.startsWith(`${o}[`));
    const text = `${where} ${name} ${show(before)} → ${show(after)}${dropped ? ' (override removed)' : ''}`;
    const out: ConfigKeyChange = { key, change, text };
    if (pos) Object.assign(out, pos.override ? { file: '(override)', override: true } : { file: pos.file, ...(pos.line ? { line: pos.line } : {}) });
    if (before !== undefined) out.before = before;
    if (after !== undefined) out.after = after;
    return out;
  });
}
