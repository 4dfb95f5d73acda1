import { joinKeyPath, type JsonValue } from './canonical';
import { compareText } from './encoding';

type JsonObject = { [key: string]: JsonValue };

/**
 * The paths at which two canonical configs differ (added, removed or changed), used to explain a
 * cache miss: `['a.b', 'weights[2]']`. Object keys are visited in sorted order and array
 * elements by index, so the result is deterministic. A difference at the root itself (different
 * types or primitive values with no prefix) is reported as `'(root)'`.
 *
 * @param prefix path of `a` and `b` themselves (`''` for a whole config).
 */
export function diffConfigPaths(a: JsonValue, b: JsonValue, prefix = ''): string[] {
  const out: string[] = [];
  collect(a, b, prefix, out);
  return out;
}

function collect(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: string[]): void {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareText);
    for (const key of keys) collect(own(a, key), own(b, key), joinKeyPath(path, key), out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) collect(a[i], b[i], `${path}[${i}]`, out);
  } else if (!samePrimitive(a, b)) {
    out.push(path === '' ? '(root)' : path);
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(value: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

/** Equal leaves; containers of different kinds (or a container and a leaf) always differ. */
function samePrimitive(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'object' && a !== null) return false;
  if (typeof b === 'object' && b !== null) return false;
  return a === b;
}
