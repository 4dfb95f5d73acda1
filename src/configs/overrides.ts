import { ModelConfigError } from '../errors';
import { joinKeyPath, toCanonicalValue, type JsonValue } from '../identity/canonical';
import type { ResolvedModelConfig } from './source-position';

type JsonObject = { [key: string]: JsonValue };

/**
 * Applies `{ 'a.b': v }` overrides to a resolved config (a copy): dotted keys walk objects, a
 * numeric segment indexes an array; missing objects are created. Each override is recorded with
 * source `(override)` so a cache miss names it.
 * @internal
 */
export function applyOverrides(base: ResolvedModelConfig, overrides: Readonly<Record<string, unknown>>): ResolvedModelConfig {
  const keys = Object.keys(overrides);
  if (!keys.length) return base;
  const value = structuredClone(base.value);
  const positions = new Map(base.positions);
  const applied: Record<string, JsonValue> = { ...base.overrides };
  for (const key of keys) {
    const segments = key.split('.');
    if (!key || segments.some((s) => s === '')) throw ModelConfigError.overrideInvalid(key, "expected a dotted path such as 'settings.households_sample_size'");
    const v = toCanonicalValue(overrides[key], `override ${key}`);
    const at = setPath(value, segments, v, key);
    applied[at] = v;
    for (const p of [...positions.keys()]) if (p.startsWith(`${at}.`) || p.startsWith(`${at}[`)) positions.delete(p);
    positions.set(at, { file: '(override)', key: at, override: true });
  }
  return { ...base, value, positions, overrides: applied };
}

function setPath(root: JsonObject, segments: string[], v: JsonValue, key: string): string {
  let node: JsonValue = root;
  let at = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (Array.isArray(node)) {
      const index = Number(seg);
      if (!/^\d+$/.test(seg) || index > node.length) throw ModelConfigError.overrideInvalid(key, `'${at}' is a list of ${node.length}; '${seg}' is not an index in it`);
      at = `${at}[${index}]`;
      if (last) node[index] = v;
      else node = (node[index] ??= {});
    } else if (node !== null && typeof node === 'object') {
      at = joinKeyPath(at, seg);
      if (last) node[seg] = v;
      else node = Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : (node[seg] = {});
    } else {
      throw ModelConfigError.overrideInvalid(key, `'${at}' is ${JSON.stringify(node)}, not an object or list`);
    }
  }
  return at;
}
