import { FacetPredicateError } from '../errors';

/** A comparison of a facet predicate. */
export type FacetOp = '=' | '>=' | '<=';

/** The type a predicate value parsed to. */
export type FacetValueKind = 'num' | 'str' | 'bool' | 'null';

/** One parsed facet predicate such as `beam.year>=2018`. */
export interface FacetPredicate {
  /** The namespace from a dotted left-hand side, else the default namespace, else null (any). */
  namespace: string | null;
  keyPath: string;
  op: FacetOp;
  kind: FacetValueKind;
  value: string | number | boolean | null;
}

const SHAPE = /^\s*([^=<>]+?)\s*(>=|<=|=)\s*(.*?)\s*$/s;
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a predicate value: `true`/`false` → bool, `null`, integers and floats → num, else str. */
export function parseFacetValue(text: string): Pick<FacetPredicate, 'kind' | 'value'> {
  if (text === 'true' || text === 'false') return { kind: 'bool', value: text === 'true' };
  if (text === 'null') return { kind: 'null', value: null };
  if (INT.test(text) || FLOAT.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return { kind: 'num', value: n };
  }
  return { kind: 'str', value: text };
}

/**
 * Parses `key=value`, `key>=number` or `key<=number`. A dotted left-hand side splits off its
 * first segment as the namespace (`beam.year>=2018`); otherwise `defaultNamespace` applies.
 * @throws FacetPredicateError `FACET_PREDICATE_INVALID` when malformed or when `>=`/`<=` get a non-number.
 */
export function parseFacetPredicate(expr: string, defaultNamespace: string | null = null): FacetPredicate {
  if (typeof expr !== 'string') throw new FacetPredicateError(String(expr), 'expected a string');
  if (expr.includes('\u0000')) throw new FacetPredicateError(expr, 'it contains a NUL character');
  const m = SHAPE.exec(expr);
  if (!m) throw new FacetPredicateError(expr, 'no =, >= or <= operator');
  const [, lhs, op, rhs] = m;
  if (/[=<>]/.test(rhs)) throw new FacetPredicateError(expr, 'more than one operator');
  const dot = lhs.indexOf('.');
  const namespace = dot > 0 ? lhs.slice(0, dot) : defaultNamespace;
  const keyPath = dot > 0 ? lhs.slice(dot + 1) : lhs;
  if (!keyPath || dot === 0) throw new FacetPredicateError(expr, 'the key is empty');
  const parsed = parseFacetValue(rhs);
  if (op !== '=' && parsed.kind !== 'num') throw new FacetPredicateError(expr, `'${op}' needs a numeric value`);
  return { namespace, keyPath, op: op as FacetOp, ...parsed };
}

/** The `EXISTS (…)` clause matching one predicate against `artifact_kv` of artifact alias `a`, with its bound values. */
export function facetPredicateSql(p: FacetPredicate): { sql: string; params: unknown[] } {
  const params: unknown[] = [p.keyPath];
  const clauses = ['kv.artifact_id = a.id', 'kv.key = ?'];
  if (p.namespace !== null) {
    clauses.push('kv.namespace = ?');
    params.push(p.namespace);
  }
  if (p.kind === 'null') clauses.push("kv.value_type = 'null'");
  else {
    const column = p.kind === 'num' ? 'value_num' : p.kind === 'bool' ? 'value_bool' : 'value_str';
    clauses.push(`kv.${column} ${p.op} ?`);
    params.push(p.value);
  }
  return { sql: `EXISTS (SELECT 1 FROM artifact_kv AS kv WHERE ${clauses.join(' AND ')})`, params };
}
