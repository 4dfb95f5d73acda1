import type { ScenarioContext } from './scenario-context';

/** Base class of `@Scenario` classes: implement `run(sc)` and call steps through `sc`. */
export abstract class ScenarioBase<TCoupler = unknown> {
  abstract run(sc: ScenarioContext<TCoupler>): Promise<void>;
}
