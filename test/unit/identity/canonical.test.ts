import { Exclude, Expose, Type } from 'class-transformer';
import { ConfigError } from '../../../src/errors';
import { canonicalJson, toCanonicalValue } from '../../../src/identity';

function caught(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('canonicalJson', () => {
  it('produces the fixed golden text when given a config with every supported kind', () => {
    const config = {
      zeta: [3, 1.5, -0, 'x', true, null],
      alpha: { b: 2, a: 1, skipped: undefined },
      when: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 6)),
      tags: new Set(['b', 'a', 10, 2]),
      lookup: new Map<unknown, unknown>([['y', 1], [2, 'two'], ['x', [1]]]),
      big: 12345678901234567890n,
      floats: new Float64Array([0.5, 2]),
      'odd key': 'é\u2028"',
    };

    expect(canonicalJson(config)).toBe(
      '{"alpha":{"a":1,"b":2},"big":{"$bigint":"12345678901234567890"},"floats":[0.5,2],' +
        '"lookup":[["x",[1]],["y",1],[2,"two"]],"odd key":"é\u2028\\"","tags":["a","b",10,2],' +
        '"when":"2030-01-02T03:04:05.006Z","zeta":[3,1.5,0,"x",true,null]}',
    );
  });

  it('is independent of key order when objects are nested', () => {
    const a = { outer: { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 2 } }, first: 0 };
    const b = { first: 0, outer: { a: { x: 2, y: [1, { p: 2, q: 1 }] }, b: 1 } };

    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('orders Set members by their canonical text when inserted in any order', () => {
    const one = new Set<unknown>(['beta', 1, 'alpha', [2, 'nested'], { k: 1 }]);
    const two = new Set<unknown>([{ k: 1 }, [2, 'nested'], 'alpha', 1, 'beta']);

    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(toCanonicalValue(one)).toEqual(['alpha', 'beta', 1, [2, 'nested'], { k: 1 }]);
  });

  it('orders Map entries by canonical key text when inserted in any order', () => {
    const one = new Map<unknown, unknown>([['b', 1], ['a', 2], [1, 3]]);
    const two = new Map<unknown, unknown>([[1, 3], ['a', 2], ['b', 1]]);

    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(toCanonicalValue(one)).toEqual([['a', 2], ['b', 1], [1, 3]]);
  });

  it('keeps an own __proto__ key as data when a config was parsed from JSON', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"a":1}') as unknown;

    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"a":1}');
  });

  it('drops undefined properties when objects contain them', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('keeps 1 and true apart when values look alike', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: true }));
  });
});

describe('toCanonicalValue with class instances', () => {
  class Thresholds {
    low = 0.1;
    high = 0.9;
  }
  class CleaningConfig {
    threshold = 0.5;
    removeOutliers = true;
    @Type(() => Thresholds) bands = new Thresholds();
    modes = new Set(['b', 'a']);
    @Exclude() logger = (): never => {
      throw new Error('must not be called');
    };
    @Exclude() parent: unknown = this;
  }

  it('equals the plain object when given a class-transformer class instance', () => {
    const plain = { threshold: 0.5, removeOutliers: true, bands: { low: 0.1, high: 0.9 }, modes: ['a', 'b'] };

    expect(toCanonicalValue(new CleaningConfig())).toEqual(plain);
    expect(canonicalJson(new CleaningConfig())).toBe(canonicalJson(plain));
  });

  it('includes exposed getters when a class uses @Expose', () => {
    class WithTotal {
      a = 2;
      @Expose() get double(): number {
        return this.a * 2;
      }
    }

    expect(toCanonicalValue(new WithTotal())).toEqual({ a: 2, double: 4 });
  });

  it('throws instead of calling a function-valued field when it is not excluded', () => {
    let called = false;
    class WithCallback {
      callback = (): number => {
        called = true;
        return 1;
      };
    }

    const error = caught(() => toCanonicalValue(new WithCallback()));

    expect(error.code).toBe('CONFIG_NOT_CANONICAL');
    expect(error.details.path).toBe('config.callback');
    expect(called).toBe(false);
  });

  it('names the path when a class instance contains a cycle', () => {
    class Node {
      child: { back?: unknown } = {};
    }
    const node = new Node();
    node.child.back = node;

    const error = caught(() => toCanonicalValue({ root: node }));

    expect(error.code).toBe('CONFIG_NOT_CANONICAL');
    expect(error.details.path).toBe('config.root.child.back');
  });
});

describe('toCanonicalValue errors', () => {
  const cyclic: Record<string, unknown> = { a: { list: [] as unknown[] } };
  (cyclic.a as { list: unknown[] }).list.push(cyclic);

  it.each<[string, unknown, string]>([
    ['a NaN in an array', { weights: [1, 2, 3, NaN] }, 'config.weights[3]'],
    ['Infinity', { a: { b: Infinity } }, 'config.a.b'],
    ['-Infinity', { limit: -Infinity }, 'config.limit'],
    ['a function', { a: { b: () => 1 } }, 'config.a.b'],
    ['a symbol value', { s: Symbol('x') }, 'config.s'],
    ['a cycle', cyclic, 'config.a.list[0]'],
    ['undefined inside an array', { list: [1, undefined] }, 'config.list[1]'],
    ['an invalid Date', { at: new Date('nope') }, 'config.at'],
    ['a RegExp', { pattern: /x/ }, 'config.pattern'],
    ['a Promise', { p: Promise.resolve(1) }, 'config.p'],
    ['a symbol key', { nested: { [Symbol('k')]: 1 } }, 'config.nested'],
    ['a non-identifier key', { 'x y': [NaN] }, 'config["x y"][0]'],
    ['a bad Set member', { s: new Set([1, NaN]) }, 'config.s[1]'],
    ['a bad Map value', { m: new Map([['k', () => 1]]) }, 'config.m[0][1]'],
    ['undefined at the root', undefined, 'config'],
  ])('throws CONFIG_NOT_CANONICAL naming the path when given %s', (_label, value, path) => {
    const error = caught(() => toCanonicalValue(value));

    expect(error.code).toBe('CONFIG_NOT_CANONICAL');
    expect(error.details.path).toBe(path);
  });

  it('uses the given root path when one is passed', () => {
    const error = caught(() => canonicalJson({ year: NaN }, 'runFields'));

    expect(error.details.path).toBe('runFields.year');
  });

  it('accepts shared (non-cyclic) references when a value appears twice', () => {
    const shared = { k: 1 };

    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });
});
