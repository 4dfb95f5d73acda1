import { diffConfigPaths, toCanonicalValue } from '../../../src/identity';

describe('diffConfigPaths', () => {
  it('returns no paths when configs are equal', () => {
    expect(diffConfigPaths({ a: { b: [1, 2] } }, { a: { b: [1, 2] } })).toEqual([]);
  });

  it('reports added, removed and changed keys as dotted paths in key order', () => {
    const before = toCanonicalValue({ a: { b: 1, c: 2 }, removed: true, same: 's' });
    const after = toCanonicalValue({ a: { b: 5, c: 2 }, added: 1, same: 's' });

    expect(diffConfigPaths(before, after)).toEqual(['a.b', 'added', 'removed']);
  });

  it('compares arrays by index when lengths or elements differ', () => {
    expect(diffConfigPaths({ w: [1, 2, 3] }, { w: [1, 9, 3, 4] })).toEqual(['w[1]', 'w[3]']);
    expect(diffConfigPaths({ a: { b: [1, { c: 1 }, 3] } }, { a: { b: [1, { c: 2 }, 3] } })).toEqual(['a.b[1].c']);
  });

  it('reports the container path when a value changes kind', () => {
    expect(diffConfigPaths({ a: [1] }, { a: { 0: 1 } })).toEqual(['a']);
    expect(diffConfigPaths({ a: null }, { a: {} })).toEqual(['a']);
    expect(diffConfigPaths({ a: 1 }, { a: '1' })).toEqual(['a']);
  });

  it('quotes keys that are not identifiers and honours a prefix', () => {
    expect(diffConfigPaths({ 'x y': 1 }, { 'x y': 2 }, 'config')).toEqual(['config["x y"]']);
    expect(diffConfigPaths({ a: 1 }, { a: 2 }, 'config')).toEqual(['config.a']);
  });

  it('reports (root) when the roots themselves differ', () => {
    expect(diffConfigPaths(1, 2)).toEqual(['(root)']);
  });
});
