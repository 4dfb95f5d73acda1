import { CacheError } from '../../../src/errors';
import {
  computeInputHash, EMPTY_INPUT_HASH, hashComponents, inputContribution, sha256Hex, type InputIdentity,
} from '../../../src/identity';

const bytesA = `sha256:${sha256Hex('a')}`;
const bytesB = `sha256:${sha256Hex('b')}`;

function input(partial: Partial<InputIdentity> & Pick<InputIdentity, 'key'>): InputIdentity {
  return { contentHash: null, producerSignature: null, hashing: 'full', ...partial };
}

describe('inputContribution', () => {
  it('is the content hash when hashing is full, even for a produced input', () => {
    expect(inputContribution(input({ key: 'raw', contentHash: bytesA, producerSignature: 'p1' }))).toBe(bytesA);
  });

  it('is the producer link when hashing is fast and the input was produced by a run', () => {
    const i = input({ key: 'raw', contentHash: 'fast:123', producerSignature: 'p1', hashing: 'fast' });

    expect(inputContribution(i)).toBe('sig:p1');
  });

  it('is the fast hash when hashing is fast and the input is a raw file', () => {
    expect(inputContribution(input({ key: 'raw', contentHash: 'fast:123', hashing: 'fast' }))).toBe('fast:123');
  });

  it('falls back to the producer link when hashing is full and no content hash is known', () => {
    expect(inputContribution(input({ key: 'raw', producerSignature: 'p1' }))).toBe('sig:p1');
  });

  it.each<'full' | 'fast'>(['full', 'fast'])('throws INPUT_IDENTITY_UNAVAILABLE when %s and nothing is known', (hashing) => {
    const i = input({ key: 'raw', hashing });

    expect(() => inputContribution(i)).toThrow(CacheError);
    expect(() => inputContribution(i)).toThrow(expect.objectContaining({ code: 'INPUT_IDENTITY_UNAVAILABLE' }));
  });
});

describe('computeInputHash', () => {
  it('returns the documented empty value when there are no inputs', () => {
    expect(computeInputHash([])).toBe(EMPTY_INPUT_HASH);
    expect(EMPTY_INPUT_HASH).toBe(sha256Hex(''));
    expect(EMPTY_INPUT_HASH).toBe(hashComponents([]));
  });

  it('matches the fixed golden value when given fixed inputs', () => {
    const inputs = [
      input({ key: 'zones', contentHash: bytesB }),
      input({ key: 'raw', contentHash: bytesA, producerSignature: 'p1' }),
    ];

    expect(computeInputHash(inputs)).toBe('b1c6e9c55ff8fb97f27572687433918f9eefd647a1e9f9fab9a4ac3945300c53');
  });

  it('does not depend on input order', () => {
    const a = input({ key: 'a', contentHash: bytesA });
    const b = input({ key: 'b', contentHash: bytesB });

    expect(computeInputHash([a, b])).toBe(computeInputHash([b, a]));
  });

  it('changes when the same bytes are read under another key', () => {
    expect(computeInputHash([input({ key: 'a', contentHash: bytesA })]))
      .not.toBe(computeInputHash([input({ key: 'b', contentHash: bytesA })]));
  });

  it('stays equal when hashing is full and the same bytes come from a different producer', () => {
    const first = input({ key: 'raw', contentHash: bytesA, producerSignature: 'producer-1' });
    const second = input({ key: 'raw', contentHash: bytesA, producerSignature: 'producer-2' });

    expect(computeInputHash([first])).toBe(computeInputHash([second]));
  });

  it('changes when hashing is full and the bytes change', () => {
    expect(computeInputHash([input({ key: 'raw', contentHash: bytesA })]))
      .not.toBe(computeInputHash([input({ key: 'raw', contentHash: bytesB })]));
  });

  it('changes when hashing is fast and the producer signature differs', () => {
    const first = input({ key: 'raw', contentHash: 'fast:same', producerSignature: 'producer-1', hashing: 'fast' });
    const second = input({ key: 'raw', contentHash: 'fast:same', producerSignature: 'producer-2', hashing: 'fast' });

    expect(computeInputHash([first])).not.toBe(computeInputHash([second]));
  });

  it('is deterministic when two inputs share a key', () => {
    const a = input({ key: 'dep', contentHash: bytesA });
    const b = input({ key: 'dep', contentHash: bytesB });

    expect(computeInputHash([a, b])).toBe(computeInputHash([b, a]));
  });
});
