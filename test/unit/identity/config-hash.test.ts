import { ConfigError } from '../../../src/errors';
import { canonicalJson, computeConfigHash, type RunFields } from '../../../src/identity';

const fields: RunFields = {
  step: 'clean', model: 'demand', year: 2030, iteration: 0, cacheEpoch: 0, cacheVersion: 1, codeVersion: null,
};

describe('computeConfigHash', () => {
  it('matches the fixed golden value when given a fixed config and run fields', () => {
    const result = computeConfigHash({ threshold: 0.5, removeOutliers: true }, fields);

    expect(result.canonical).toBe('{"removeOutliers":true,"threshold":0.5}');
    expect(result.hash).toBe('fa20d18417f9ad0bc94b69943fba9559b9a1e7f6fd293175dc60188a94dd6dac');
  });

  it('ignores key order when configs are nested', () => {
    const a = computeConfigHash({ a: { y: 1, x: 2 }, b: [1] }, fields);
    const b = computeConfigHash({ b: [1], a: { x: 2, y: 1 } }, fields);

    expect(a).toEqual(b);
  });

  it.each<[keyof RunFields, unknown]>([
    ['step', 'other'],
    ['model', null],
    ['year', 2040],
    ['iteration', 1],
    ['cacheEpoch', 1],
    ['cacheVersion', 2],
    ['codeVersion', '2'],
  ])('changes when run field %s changes', (field, value) => {
    const changed = { ...fields, [field]: value } as RunFields;

    expect(computeConfigHash({ a: 1 }, changed).hash).not.toBe(computeConfigHash({ a: 1 }, fields).hash);
  });

  it('ignores properties that are not run fields when the object carries extras', () => {
    const extra = { ...fields, facet: 'x' } as RunFields;

    expect(computeConfigHash({ a: 1 }, extra).hash).toBe(computeConfigHash({ a: 1 }, fields).hash);
  });

  it('keeps the config and the run fields apart when their text could be swapped', () => {
    const a = computeConfigHash({ step: 'clean' }, fields);
    const b = computeConfigHash({}, fields);

    expect(a.hash).not.toBe(b.hash);
    expect(a.canonical).toBe(canonicalJson({ step: 'clean' }));
  });

  it('throws CONFIG_NOT_CANONICAL with a runFields path when a run field is NaN', () => {
    const bad = { ...fields, year: NaN };

    expect(() => computeConfigHash({}, bad)).toThrow(ConfigError);
    try {
      computeConfigHash({}, bad);
    } catch (err) {
      expect((err as ConfigError).code).toBe('CONFIG_NOT_CANONICAL');
      expect((err as ConfigError).details.path).toBe('runFields.year');
    }
  });
});
