import { createHash } from 'node:crypto';
import { encodeComponents, hashComponents } from '../../../src/identity';

describe('encodeComponents', () => {
  it('writes u32 tag length, tag, u64 value length, value when given one part', () => {
    const bytes = encodeComponents([['a', 'bc']]);

    expect(bytes.toString('hex')).toBe('00000001' + '61' + '0000000000000002' + '6263');
  });

  it('counts UTF-8 bytes, not UTF-16 units, when values are non-ASCII', () => {
    const bytes = encodeComponents([['t', 'é']]);

    expect(bytes.toString('hex')).toBe('00000001' + '74' + '0000000000000002' + 'c3a9');
  });

  it('returns an empty buffer when given no parts', () => {
    expect(encodeComponents([]).length).toBe(0);
  });

  it('does not collide when the tag/value boundary moves', () => {
    expect(encodeComponents([['a', 'bc']]).equals(encodeComponents([['ab', 'c']]))).toBe(false);
  });

  it('does not collide when parts are merged with a separator-like value', () => {
    const two = encodeComponents([['a', 'b'], ['c', 'd']]);
    const mergedWithBar = encodeComponents([['a', 'b|c|d']]);
    const mergedRaw = encodeComponents([['a', 'bcd']]);

    expect(two.equals(mergedWithBar)).toBe(false);
    expect(two.equals(mergedRaw)).toBe(false);
  });

  it('does not collide when a value embeds the encoding of another part', () => {
    const inner = encodeComponents([['c', 'd']]).toString('latin1');
    const forged = encodeComponents([['a', `b${inner}`]]);

    expect(forged.equals(encodeComponents([['a', 'b'], ['c', 'd']]))).toBe(false);
  });

  it('distinguishes an empty value from a missing part', () => {
    expect(encodeComponents([['a', '']]).equals(encodeComponents([]))).toBe(false);
  });
});

describe('hashComponents', () => {
  it('is the sha256 hex of the encoding', () => {
    const parts = [['x', 'y'], ['z', '']] as const;

    expect(hashComponents(parts)).toBe(createHash('sha256').update(encodeComponents(parts)).digest('hex'));
  });

  it('matches the fixed golden value when given a fixed component list', () => {
    expect(hashComponents([['code', 'c'], ['config', 'k'], ['inputs', 'i']])).toBe('31c1e5d207a50109a74158b40a07055c7d235656393ccf11f2c1613ca279d17b');
  });

  it('depends on part order', () => {
    expect(hashComponents([['a', '1'], ['b', '2']])).not.toBe(hashComponents([['b', '2'], ['a', '1']]));
  });
});
