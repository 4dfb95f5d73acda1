import { randomBytes } from 'node:crypto';

const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}$/;

/** True when `id` is usable as a run id (and therefore as a folder name). @internal */
export function isValidRunId(id: unknown): id is string {
  return typeof id === 'string' && RUN_ID.test(id) && !id.includes('..');
}

/** Turns any name into a run-id-safe slug (`High Gas/2030` → `High_Gas_2030`). @internal */
export function slugify(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[.-]+/, '');
  return (slug || 'run').slice(0, 120);
}

/** A new unique id with a readable prefix: `clean_20261123T091500_a1b2c3`. @internal */
export function newRunId(prefix: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${slugify(prefix)}_${stamp}_${randomHex(3)}`;
}

/** Random bytes drawn from a pooled buffer: one `getrandom` per 512 ids instead of one per id (a hit describes ~20 inputs). */
let pool = Buffer.alloc(0);
let offset = 0;
/** `n` random bytes as hex, from the pooled buffer. @internal */
export function randomHex(n: number): string {
  if (offset + n > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += n;
  return pool.toString('hex', offset - n, offset);
}

/** A new random artifact id. @internal */
export const newArtifactId = (): string => `a_${randomHex(8)}`;
