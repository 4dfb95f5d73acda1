import {
  buildIdentity, computeConfigHash, computeInputHash, computeSignature, hashComponents, sha256Hex,
  type CodeIdentity, type RunFields,
} from '../../../src/identity';

const fields: RunFields = {
  step: 'clean', model: null, year: null, iteration: null, cacheEpoch: 0, cacheVersion: 0, codeVersion: null,
};
const code: CodeIdentity = { mode: 'pinned', hash: `pinned:${sha256Hex('1')}`, fellBack: false, detail: "codeVersion '1'" };

describe('computeSignature', () => {
  it('hashes code, config and inputs as tagged components', () => {
    const components = { codeHash: 'c', configHash: 'k', inputHash: 'i' };

    expect(computeSignature(components)).toBe(hashComponents([['code', 'c'], ['config', 'k'], ['inputs', 'i']]));
    expect(computeSignature(components)).toBe('31c1e5d207a50109a74158b40a07055c7d235656393ccf11f2c1613ca279d17b');
  });

  it('changes when components are swapped', () => {
    expect(computeSignature({ codeHash: 'a', configHash: 'b', inputHash: 'c' }))
      .not.toBe(computeSignature({ codeHash: 'b', configHash: 'a', inputHash: 'c' }));
  });
});

describe('buildIdentity', () => {
  const inputs = [
    { key: 'zones', contentHash: `sha256:${sha256Hex('z')}`, producerSignature: null, hashing: 'full' as const, producerRunId: null },
    { key: 'raw', contentHash: `sha256:${sha256Hex('r')}`, producerSignature: 'sig-1', hashing: 'full' as const, producerRunId: 'run-1' },
  ];

  it('fills every component consistently with the individual functions', () => {
    const record = buildIdentity({ code, config: { b: new Set([2, 1]), a: 1 }, runFields: fields, inputs });

    const configHash = computeConfigHash({ a: 1, b: [1, 2] }, fields).hash;
    const inputHash = computeInputHash(inputs);
    expect(record).toEqual({
      signature: computeSignature({ codeHash: code.hash, configHash, inputHash }),
      codeHash: code.hash,
      codeMode: 'pinned',
      codeFellBack: false,
      configHash,
      inputHash,
      runFields: fields,
      config: { a: 1, b: [1, 2] },
      inputs: [
        { key: 'raw', contribution: `sha256:${sha256Hex('r')}`, producerRunId: 'run-1' },
        { key: 'zones', contribution: `sha256:${sha256Hex('z')}`, producerRunId: null },
      ],
    });
  });

  it('matches the fixed golden signature when given fixed ingredients', () => {
    const record = buildIdentity({ code, config: { threshold: 0.5 }, runFields: fields, inputs });

    expect(record.signature).toBe('f61d39fa9c5d5b0248bd3cd5f6b6082c1949aec3892fb3a17a4a216ef4873bf4');
  });

  it('gives the same signature when the config is passed in another key order', () => {
    const a = buildIdentity({ code, config: { x: 1, y: { q: 1, p: 2 } }, runFields: fields, inputs });
    const b = buildIdentity({ code, config: { y: { p: 2, q: 1 }, x: 1 }, runFields: fields, inputs: [...inputs].reverse() });

    expect(a.signature).toBe(b.signature);
  });

  it('is JSON-serializable when stored in a snapshot', () => {
    const record = buildIdentity({ code, config: { n: 10n }, runFields: fields, inputs: [] });

    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});
