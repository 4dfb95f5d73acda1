import { ModelConfigError } from '../errors';
import { joinKeyPath, type JsonValue } from '../identity/canonical';
import type { HoconField, HoconPos, HoconValue } from './hocon-ast';
import type { PositionMap } from './source-position';

type JsonObject = { [key: string]: JsonValue };
interface ObjNode { k: 'obj'; m: Map<string, Node>; base?: Node; pos: HoconPos; path: string[] }
interface RawNode { k: 'raw'; value: HoconValue; pos: HoconPos; path: string[]; prev?: Node }
type Node = ObjNode | RawNode;

const NOT_FOUND = Symbol('not found');
const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as JsonObject, v) : v;
  return out;
}

/** Merges fields in order (later keys win, objects merge) into a tree of nodes. */
function mergeFields(obj: ObjNode, fields: readonly HoconField[]): void {
  for (const f of fields) setField(obj, f);
}

function setField(root: ObjNode, f: HoconField): void {
  let obj = root;
  for (const seg of f.path.slice(0, -1)) {
    const existing = obj.m.get(seg);
    if (existing?.k === 'obj') { obj = existing; continue; }
    const created: ObjNode = { k: 'obj', m: new Map(), base: existing, pos: f.pos, path: [...obj.path, seg] };
    obj.m.set(seg, created);
    obj = created;
  }
  const seg = f.path[f.path.length - 1];
  const full = [...obj.path, seg];
  const existing = obj.m.get(seg);
  if (f.value.t === 'obj' && !f.append) {
    if (existing?.k === 'obj') { mergeFields(existing, f.value.fields); return; }
    const created: ObjNode = { k: 'obj', m: new Map(), base: existing, pos: f.pos, path: full };
    mergeFields(created, f.value.fields);
    obj.m.set(seg, created);
    return;
  }
  const value: HoconValue = f.append
    ? { t: 'concat', pos: f.pos, parts: [{ t: 'subst', path: full, optional: true, pos: f.pos, prefix: [] }, { t: 'arr', items: [f.value], pos: f.pos }] }
    : f.value;
  markSelf(value, full);
  obj.m.set(seg, { k: 'raw', value, pos: f.pos, path: full, prev: existing });
}

/** `a = ${a} …` refers to the value `a` had before this field. */
function markSelf(v: HoconValue, full: string[]): void {
  if (v.t === 'subst' && (samePath(v.path, full) || samePath([...v.prefix, ...v.path], full))) v.self = true;
  else if (v.t === 'concat') v.parts.forEach((p) => markSelf(p, full));
  else if (v.t === 'arr') v.items.forEach((p) => markSelf(p, full));
}

/**
 * Resolves a parsed HOCON document: merges fields, then replaces every `${…}` (looking in the
 * config, then the environment), detecting cycles. Returns the JSON value and each key's position.
 * @internal
 */
export function resolveHocon(fields: readonly HoconField[]): { value: JsonObject; positions: PositionMap } {
  const root: ObjNode = { k: 'obj', m: new Map(), pos: { file: '', line: 1, column: 1 }, path: [] };
  mergeFields(root, fields);
  const value = new Resolver(root).node(root) as JsonObject;
  const positions: PositionMap = new Map();
  collectPositions(root, '', positions);
  return { value, positions };
}

function collectPositions(obj: ObjNode, at: string, out: PositionMap): void {
  for (const [k, child] of obj.m) {
    const p = joinKeyPath(at, k);
    out.set(p, { file: child.pos.file, line: child.pos.line, key: p });
    if (child.k === 'obj') collectPositions(child, p, out);
    else if (child.value.t === 'arr') child.value.items.forEach((item, i) => {
      if (item.t !== 'ws' && 'pos' in item) out.set(`${p}[${i}]`, { file: item.pos.file, line: item.pos.line, key: `${p}[${i}]` });
    });
  }
}

class Resolver {
  private readonly memo = new Map<Node, JsonValue | undefined>();
  private readonly active: Node[] = [];

  constructor(private readonly root: ObjNode) {}

  node(n: Node, via?: HoconPos): JsonValue | undefined {
    if (this.memo.has(n)) return this.memo.get(n);
    const at = this.active.indexOf(n);
    if (at >= 0) {
      const chain = [...this.active.slice(at), n].map((x) => x.path.join('.'));
      throw ModelConfigError.substitutionCycle(via ?? n.pos, chain);
    }
    this.active.push(n);
    let v = n.k === 'obj' ? this.object(n) : this.value(n.value, n);
    // `a = ${?UNSET}` leaves the earlier value of `a` in place.
    if (v === undefined && n.k === 'raw' && n.prev) v = this.node(n.prev, via);
    this.active.pop();
    this.memo.set(n, v);
    return v;
  }

  private object(n: ObjNode): JsonObject {
    const base = n.base ? this.node(n.base) : undefined;
    let out: JsonObject = isObject(base) ? { ...base } : {};
    for (const [k, child] of n.m) {
      const v = this.node(child);
      if (v === undefined) continue;
      out = { ...out, [k]: isObject(v) && isObject(out[k]) && child.k === 'obj' ? deepMerge(out[k] as JsonObject, v) : v };
    }
    return out;
  }

  private value(v: HoconValue, owner: RawNode): JsonValue | undefined {
    switch (v.t) {
      case 'scalar': return v.v;
      case 'ws': return v.raw;
      case 'arr': return v.items.map((item) => this.value(item, owner)).filter((x): x is JsonValue => x !== undefined);
      case 'obj': {
        const obj: ObjNode = { k: 'obj', m: new Map(), pos: v.pos, path: owner.path };
        mergeFields(obj, v.fields);
        return this.object(obj);
      }
      case 'subst': return this.substitute(v, owner);
      case 'concat': return this.concat(v, owner);
    }
  }

  private concat(v: HoconValue & { t: 'concat' }, owner: RawNode): JsonValue | undefined {
    const parts = v.parts.map((p) => ({ p, r: this.value(p, owner) })).filter((x) => x.r !== undefined);
    const solid = parts.filter((x) => x.p.t !== 'ws');
    if (!solid.length) return undefined;
    if (solid.every((x) => isObject(x.r))) return solid.reduce<JsonObject>((acc, x) => deepMerge(acc, x.r as JsonObject), {});
    if (solid.every((x) => Array.isArray(x.r))) return solid.flatMap((x) => x.r as JsonValue[]);
    if (solid.length === 1 && parts.length === 1) return solid[0].r;
    const bad = solid.find((x) => typeof x.r === 'object' && x.r !== null);
    if (bad) throw ModelConfigError.syntax(v.pos, 'cannot concatenate an object or list with a string');
    return parts.map(({ p, r }) => (p.t === 'scalar' ? p.raw : r === null ? 'null' : String(r))).join('');
  }

  private substitute(s: HoconValue & { t: 'subst' }, owner: RawNode): JsonValue | undefined {
    if (s.self) {
      if (owner.prev) return this.node(owner.prev, s.pos);
    } else {
      for (const candidate of s.prefix.length ? [[...s.prefix, ...s.path], s.path] : [s.path]) {
        const found = this.find(candidate, s.pos);
        if (found !== NOT_FOUND) return found;
      }
    }
    const env = process.env[s.path.join('.')];
    if (env !== undefined) return env;
    if (s.optional) return undefined;
    throw ModelConfigError.undefinedSubstitution(s.pos, s.path.join('.'));
  }

  private find(path: readonly string[], via: HoconPos): JsonValue | undefined | typeof NOT_FOUND {
    let n: Node = this.root;
    for (let i = 0; i < path.length; i++) {
      if (n.k === 'obj') {
        const child = n.m.get(path[i]);
        if (child) { n = child; continue; }
        if (!n.base) return NOT_FOUND;
        return walkJson(this.node(n.base, via), path.slice(i));
      }
      return walkJson(this.node(n, via), path.slice(i));
    }
    const v = this.node(n, via);
    return v === undefined ? NOT_FOUND : v;
  }
}

function walkJson(v: JsonValue | undefined, path: readonly string[]): JsonValue | typeof NOT_FOUND {
  let cur = v;
  for (const seg of path) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return NOT_FOUND;
    cur = cur[seg];
  }
  return cur === undefined ? NOT_FOUND : cur;
}
