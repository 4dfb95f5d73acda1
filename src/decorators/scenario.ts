import { injectable } from 'tsyringe';
import { MetadataError } from '../errors';
import type { Constructor } from '../metadata/registry';
import { defineScenarioMetadata, getScenarioMetadata, type ScenarioOptions } from '../metadata/scenario-metadata';

/**
 * Declares a scenario: a class extending `ScenarioBase<Coupler>` whose `run(sc)` calls its steps.
 * Running it creates a header run; every step run is its child.
 *
 * @example
 * @Scenario({ name: 'baseline', model: 'travel_demand', coupler: TravelCoupler })
 * class Baseline extends ScenarioBase<TravelCoupler> {
 *   async run(sc: ScenarioContext<TravelCoupler>) { await sc.run(Initialize); }
 * }
 */
export function Scenario(options: ScenarioOptions = {}): ClassDecorator {
  if (typeof options !== 'object' || options === null) throw MetadataError.invalidOption('@Scenario', 'options', 'expected an object');
  return (target) => {
    const ctor = target as unknown as Constructor;
    if (getScenarioMetadata(ctor)) throw MetadataError.duplicateDecorator(ctor, '@Scenario');
    defineScenarioMetadata(ctor, { target: ctor, options: Object.freeze({ ...options }) });
    injectable()(target as unknown as new (...args: unknown[]) => unknown);
  };
}
