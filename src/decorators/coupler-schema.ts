import type { Constructor } from '../metadata/registry';
import { addSlot, defineCouplerSchema, type CouplerSchemaOptions, type SlotOptions } from '../metadata/coupler-metadata';

/**
 * Declares a typed coupler: its `@Slot` properties become typed keys of `sc.coupler`.
 *
 * @example
 * @CouplerSchema()
 * class TravelCoupler {
 *   @Slot({ description: 'synthetic population' }) population!: Artifact;
 *   @Slot({ required: true }) persons!: Artifact;
 * }
 */
export function CouplerSchema(options: CouplerSchemaOptions = {}): ClassDecorator {
  return (target) => defineCouplerSchema(target as unknown as Constructor, options);
}

/** Declares one coupler slot (an artifact key) on a `@CouplerSchema` class. */
export function Slot(options: SlotOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    addSlot(prototype.constructor, { name: String(property), required: options.required ?? false, description: options.description ?? null });
  };
}
