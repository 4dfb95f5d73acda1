import { createHash } from 'node:crypto';

/** One tagged component of an identity encoding: `[tag, value]`. */
export type IdentityComponent = readonly [tag: string, value: string];

/**
 * Encodes tagged components unambiguously: for each part, a big-endian u32 byte length of the
 * tag, the UTF-8 tag, a big-endian u64 byte length of the value, then the UTF-8 value.
 *
 * Because every field carries its own length, two different component lists never produce the
 * same bytes (`[['a', 'bc']]` and `[['ab', 'c']]` differ, and so do `[['a','b'],['c','d']]` and a
 * single part whose value happens to contain `b`, `c` and `d`).
 */
export function encodeComponents(parts: readonly IdentityComponent[]): Buffer {
  const chunks: Buffer[] = [];
  for (const [tag, value] of parts) {
    const tagBytes = Buffer.from(tag, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const tagLength = Buffer.allocUnsafe(4);
    tagLength.writeUInt32BE(tagBytes.length, 0);
    const valueLength = Buffer.allocUnsafe(8);
    valueLength.writeBigUInt64BE(BigInt(valueBytes.length), 0);
    chunks.push(tagLength, tagBytes, valueLength, valueBytes);
  }
  return Buffer.concat(chunks);
}

/** SHA-256 (lowercase hex) of {@link encodeComponents}`(parts)`. */
export function hashComponents(parts: readonly IdentityComponent[]): string {
  return createHash('sha256').update(encodeComponents(parts)).digest('hex');
}

/**
 * Orders strings by UTF-16 code units (the RFC 8785 key order), independent of locale.
 * @internal
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
