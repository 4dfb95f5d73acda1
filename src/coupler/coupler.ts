import { CouplerKeyMissingError } from '../errors';
import type { CouplerDefinition } from '../metadata/coupler-metadata';
import type { Artifact } from '../model';
import { assertArtifactKey } from '../model/artifact-key';
import type { Logger } from '../util/logger';

/**
 * The key → artifact map of one scenario: step outputs land here and `@Input` keys resolve from
 * it. With a `@CouplerSchema`, slots are also typed properties (see {@link TypedCoupler}).
 */
export class Coupler {
  private readonly values = new Map<string, Artifact>();
  private readonly declared = new Map<string, boolean>();
  private readonly warned = new Set<string>();

  constructor(private readonly schema: CouplerDefinition | null, private readonly logger: Logger) {
    for (const slot of schema?.slots ?? []) this.declared.set(slot.name, slot.required);
  }

  get(key: string): Artifact | undefined {
    return this.values.get(key);
  }

  /** The artifact under `key`; `COUPLER_KEY_MISSING` naming the available keys when unset. */
  require(key: string): Artifact {
    const value = this.values.get(key);
    if (!value) throw new CouplerKeyMissingError(key, this.keys());
    return value;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  /** Sets `key`. Under a strict schema, a key that is not a slot warns once. */
  set(key: string, artifact: Artifact | null | undefined): void {
    assertArtifactKey(key);
    if (this.schema?.strict && !this.schema.slots.some((s) => s.name === key) && !this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warn(`Coupler key '${key}' is not a slot of ${this.schema.target.name}; declare it with @Slot() to type it.`);
    }
    if (artifact === null || artifact === undefined) this.values.delete(key);
    else this.values.set(key, artifact);
  }

  /** Sets several keys at once. */
  update(values: Record<string, Artifact>): void {
    for (const [k, v] of Object.entries(values)) this.set(k, v);
  }

  /** Declares outputs the scenario must (true) or may (false) produce. */
  declareOutputs(outputs: Record<string, boolean>): void {
    for (const [k, required] of Object.entries(outputs)) {
      assertArtifactKey(k);
      this.declared.set(k, required || this.declared.get(k) === true);
    }
  }

  /** Declares required outputs. */
  requireOutputs(...keys: string[]): void {
    this.declareOutputs(Object.fromEntries(keys.map((k) => [k, true])));
  }

  /** Required declared outputs that are not set (yet). */
  missingDeclaredOutputs(): string[] {
    return [...this.declared].filter(([k, required]) => required && !this.values.has(k)).map(([k]) => k).sort();
  }

  /** A plain snapshot of the current values. */
  toObject(): Record<string, Artifact> {
    return Object.fromEntries(this.values);
  }
}

/** A coupler whose `@Slot` properties are typed artifacts: `sc.coupler.population`. */
export type TypedCoupler<T = unknown> = Coupler & { [K in keyof T]: Artifact };

/** Wraps a coupler so slot names read (`require`) and write (`set`) as properties. @internal */
export function typedCoupler<T>(coupler: Coupler, schema: CouplerDefinition | null): TypedCoupler<T> {
  const slots = new Set((schema?.slots ?? []).map((s) => s.name));
  return new Proxy(coupler, {
    get(target, prop) {
      if (typeof prop === 'string' && slots.has(prop)) return target.require(prop);
      const value = (target as unknown as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? (value as Function).bind(target) : value;
    },
    set(target, prop, value) {
      if (typeof prop === 'string' && slots.has(prop)) {
        target.set(prop, value as Artifact);
        return true;
      }
      (target as unknown as Record<PropertyKey, unknown>)[prop] = value;
      return true;
    },
  }) as TypedCoupler<T>;
}
