import { facetPredicateSql, parseFacetPredicate } from '../../../src/views/facet-predicate';
import { facetColumnType, isCompatible } from '../../../src/views/grouped-selection';

describe('facet predicates', () => {
  it('parses namespaces, operators and typed values', () => {
    expect(parseFacetPredicate('beam.year>=2018')).toEqual({ namespace: 'beam', keyPath: 'year', op: '>=', kind: 'num', value: 2018 });
    expect(parseFacetPredicate('artifact_family=test')).toEqual({ namespace: null, keyPath: 'artifact_family', op: '=', kind: 'str', value: 'test' });
    expect(parseFacetPredicate('x=1.5e2', 'ns')).toMatchObject({ namespace: 'ns', kind: 'num', value: 150 });
    expect(parseFacetPredicate('flag=true')).toMatchObject({ kind: 'bool', value: true });
    expect(parseFacetPredicate('gone=null')).toMatchObject({ kind: 'null', value: null });
    expect(parseFacetPredicate('a.b.c<=3')).toMatchObject({ namespace: 'a', keyPath: 'b.c' });
  });

  it.each(['broken_predicate', '=1', 'year>=abc', 'a=b=c', '.x=1'])('rejects %s with FACET_PREDICATE_INVALID', (expr) => {
    expect(() => parseFacetPredicate(expr)).toThrow(expect.objectContaining({ code: 'FACET_PREDICATE_INVALID' }));
  });

  it('renders bound SQL against artifact_kv', () => {
    expect(facetPredicateSql(parseFacetPredicate('beam.year>=2018'))).toEqual({
      sql: 'EXISTS (SELECT 1 FROM artifact_kv AS kv WHERE kv.artifact_id = a.id AND kv.key = ? AND kv.namespace = ? AND kv.value_num >= ?)',
      params: ['year', 'beam', 2018],
    });
    expect(facetPredicateSql(parseFacetPredicate('x=null')).sql).toContain("kv.value_type = 'null'");
  });

  it('types facet columns deterministically', () => {
    expect(facetColumnType(['bool', 'null'])).toBe('BOOLEAN');
    expect(facetColumnType(['int', 'int'])).toBe('BIGINT');
    expect(facetColumnType(['int', 'float'])).toBe('DOUBLE');
    expect(facetColumnType(['int', 'str'])).toBe('VARCHAR');
    expect(facetColumnType(['null'])).toBe('VARCHAR');
  });

  it('accepts subset and superset schemas of the same table only', () => {
    const base = { id: 'b', tableName: 't', names: ['a', 'b'] };
    expect(isCompatible(base, { id: 'x', tableName: 't', names: ['a'] })).toBe(true);
    expect(isCompatible(base, { id: 'x', tableName: 't', names: ['a', 'b', 'c'] })).toBe(true);
    expect(isCompatible(base, { id: 'x', tableName: 'u', names: ['a'] })).toBe(false);
    expect(isCompatible(base, { id: 'x', tableName: 't', names: [] })).toBe(false);
    expect(isCompatible(base, { id: 'x', tableName: 't', names: ['a', 'c'] })).toBe(false);
  });
});
