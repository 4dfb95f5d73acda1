import { instanceToPlain } from 'class-transformer';
import { canonicalize } from 'json-canonicalize';
import { ConfigError } from '../errors';
import { compareText } from './encoding';

/** A JSON value: what a config becomes after {@link toCanonicalValue}. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Ancestors = Set<object>;
type Plain = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends an object key to a value path: `config` + `a` → `config.a`; keys that are not
 * identifiers are quoted (`config["x y"]`); an empty prefix yields the bare key.
 * @internal
 */
export function joinKeyPath(prefix: string, key: string): string {
  if (IDENTIFIER.test(key)) return prefix === '' ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

/**
 * Converts a config value into plain JSON with one canonical form, or throws.
 *
 * - class instances go through class-transformer's `instanceToPlain` (so `@Exclude`/`@Expose`
 *   apply); their fields are canonicalized first, so functions are never called by it;
 * - `Date` → ISO string; `Set` → array sorted by each member's canonical JSON text; `Map` →
 *   array of `[key, value]` entries sorted by the canonical JSON text of the key;
 * - `bigint` → `{ "$bigint": "123" }`; typed arrays → arrays of numbers; `-0` → `0`;
 * - `undefined` object properties are dropped, as in JSON.
 *
 * @param path the name of `value` in error messages (`config.weights[3]`).
 * @throws ConfigError `CONFIG_NOT_CANONICAL` (with `details.path`) for functions, symbols,
 *   cycles, `NaN`/`±Infinity`, `undefined` inside arrays, invalid dates and built-in objects with
 *   no JSON form (RegExp, Promise, WeakMap, Error, …).
 */
export function toCanonicalValue(value: unknown, path = 'config'): JsonValue {
  return normalize(value, path, new Set());
}

/**
 * The RFC 8785 (JCS) canonical JSON text of `value` after {@link toCanonicalValue}: keys sorted,
 * no whitespace, ECMAScript number formatting. Equal configs give byte-identical text.
 */
export function canonicalJson(value: unknown, path = 'config'): string {
  return canonicalize(toCanonicalValue(value, path));
}

function normalize(value: unknown, path: string, ancestors: Ancestors): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return normalizeNumber(value, path);
    case 'bigint':
      return { $bigint: value.toString() };
    case 'undefined':
      throw ConfigError.notCanonical(path, 'undefined');
    case 'function':
      throw ConfigError.notCanonical(path, `a function (${value.name || 'anonymous'})`);
    case 'symbol':
      throw ConfigError.notCanonical(path, `a symbol (${value.toString()})`);
    default:
      if (value === null) return null;
      return normalizeObject(value as object, path, ancestors);
  }
}

function normalizeNumber(value: number, path: string): number {
  if (!Number.isFinite(value)) throw ConfigError.notCanonical(path, String(value));
  return Object.is(value, -0) ? 0 : value;
}

function normalizeObject(value: object, path: string, ancestors: Ancestors): JsonValue {
  if (ancestors.has(value)) throw ConfigError.notCanonical(path, 'a cyclic reference');
  ancestors.add(value);
  try {
    return normalizeByKind(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function normalizeByKind(value: object, path: string, ancestors: Ancestors): JsonValue {
  if (Array.isArray(value)) return normalizeArray(value, path, ancestors);
  if (value instanceof Date) return normalizeDate(value, path);
  if (value instanceof Set) return normalizeSet(value, path, ancestors);
  if (value instanceof Map) return normalizeMap(value, path, ancestors);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return normalizeArray(Array.from(value as unknown as ArrayLike<unknown>), path, ancestors);
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return normalizePlain(value as Plain, path, ancestors);
  if (Object.prototype.toString.call(value) !== '[object Object]') {
    throw ConfigError.notCanonical(path, `a ${value.constructor?.name ?? 'built-in object'}`);
  }
  return normalizeInstance(value, path, ancestors);
}

function normalizeArray(value: readonly unknown[], path: string, ancestors: Ancestors): JsonValue[] {
  const out: JsonValue[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (item === undefined) throw ConfigError.notCanonical(`${path}[${i}]`, 'undefined inside an array');
    out.push(normalize(item, `${path}[${i}]`, ancestors));
  }
  return out;
}

function normalizeDate(value: Date, path: string): string {
  if (Number.isNaN(value.getTime())) throw ConfigError.notCanonical(path, 'an invalid Date');
  return value.toISOString();
}

function normalizeSet(value: Set<unknown>, path: string, ancestors: Ancestors): JsonValue[] {
  const members = [...value].map((member, i) => {
    const canonical = normalize(member, `${path}[${i}]`, ancestors);
    return { text: canonicalize(canonical), canonical };
  });
  members.sort((x, y) => compareText(x.text, y.text));
  return members.map((m) => m.canonical);
}

function normalizeMap(value: Map<unknown, unknown>, path: string, ancestors: Ancestors): JsonValue[] {
  const entries = [...value].map(([key, item], i) => {
    const canonicalKey = normalize(key, `${path}[${i}][0]`, ancestors);
    const canonicalItem = normalize(item, `${path}[${i}][1]`, ancestors);
    return { text: canonicalize(canonicalKey), entry: [canonicalKey, canonicalItem] as JsonValue[] };
  });
  entries.sort((x, y) => compareText(x.text, y.text));
  return entries.map((e) => e.entry);
}

function normalizePlain(value: Plain, path: string, ancestors: Ancestors): JsonValue {
  const symbolKey = Object.getOwnPropertySymbols(value).find((s) => Object.prototype.propertyIsEnumerable.call(value, s));
  if (symbolKey !== undefined) throw ConfigError.notCanonical(path, `an object with a symbol key (${symbolKey.toString()})`);
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const item = value[key];
    if (item === undefined) continue;
    // defineProperty, not assignment: a `__proto__` key must stay an ordinary property.
    Object.defineProperty(out, key, {
      value: normalize(item, joinKeyPath(path, key), ancestors),
      enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

/**
 * class-transformer reads fields through a proxy that hands it already-canonical values: it would
 * otherwise call function-valued fields, keep Sets in insertion order, turn Maps into objects and
 * overflow the stack on cycles. Fields it excludes (`@Exclude`) are never read, so never checked.
 */
function normalizeInstance(value: object, path: string, ancestors: Ancestors): JsonValue {
  const fields = value as Plain;
  const seen = new Map<string, JsonValue | undefined>();
  const proxy = new Proxy(fields, {
    get(target, key) {
      if (typeof key !== 'string' || !Object.prototype.propertyIsEnumerable.call(target, key)) {
        return target[key as string];
      }
      if (!seen.has(key)) {
        const raw = target[key];
        seen.set(key, raw === undefined ? undefined : normalize(raw, joinKeyPath(path, key), ancestors));
      }
      return seen.get(key);
    },
  });
  const plain: unknown = instanceToPlain(proxy);
  return normalize(plain, path, ancestors);
}
