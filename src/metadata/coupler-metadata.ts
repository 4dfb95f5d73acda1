import { MetadataError } from '../errors';
import { metadataKey, readOwn, writeOwn, type Constructor } from './registry';

/** What users write in `@Slot(...)`. */
export interface SlotOptions {
  /** A required slot must be set when the scenario ends. */
  required?: boolean;
  description?: string;
}

/** What users write in `@CouplerSchema(...)`. */
export interface CouplerSchemaOptions {
  /** Warn (once per key) when a key that is not a slot is set. Default true. */
  strict?: boolean;
}

/** One recorded slot. */
export interface SlotMetadata { name: string; required: boolean; description: string | null }

/** What `@CouplerSchema` and `@Slot` record. */
export interface CouplerMetadata { options: CouplerSchemaOptions | null; slots: readonly SlotMetadata[] }

/** A compiled coupler schema. */
export interface CouplerDefinition { readonly target: Constructor; readonly slots: readonly SlotMetadata[]; readonly strict: boolean }

const COUPLER = metadataKey<CouplerMetadata>('coupler');
const cache = new WeakMap<Function, CouplerDefinition>();

/** The coupler record of a class, or undefined. */
export const getCouplerMetadata = (target: Function): CouplerMetadata | undefined => readOwn(COUPLER, target);

/** Records `@CouplerSchema` options (keeping slots already recorded). @internal */
export function defineCouplerSchema(target: Constructor, options: CouplerSchemaOptions): void {
  const prev = getCouplerMetadata(target);
  if (prev?.options) throw MetadataError.duplicateDecorator(target, '@CouplerSchema');
  writeOwn(COUPLER, target, { options, slots: prev?.slots ?? [] });
}

/** Adds one `@Slot` (copy-on-write). @internal */
export function addSlot(target: Function, slot: SlotMetadata): void {
  const prev = getCouplerMetadata(target);
  if (prev?.slots.some((s) => s.name === slot.name)) throw MetadataError.duplicateKey(target, 'slot', slot.name);
  writeOwn(COUPLER, target, { options: prev?.options ?? null, slots: [...(prev?.slots ?? []), Object.freeze(slot)] });
}

/** Compiles a `@CouplerSchema` class into a frozen definition (cached). */
export function compileCoupler(target: Function): CouplerDefinition {
  const hit = cache.get(target);
  if (hit) return hit;
  const meta = getCouplerMetadata(target);
  if (!meta?.options) throw MetadataError.missingDecorator(target, '@CouplerSchema');
  const def = Object.freeze({ target: target as Constructor, slots: Object.freeze([...meta.slots]), strict: meta.options.strict ?? true });
  cache.set(target, def);
  return def;
}
