import type { StepContext } from './step-context';

/**
 * Base class of `@Step` classes. The runner sets `config` (a validated instance of the step's
 * config class) and `ctx` before calling `run()`. Constructors may inject services.
 */
export abstract class StepBase<TConfig = Record<string, never>> {
  /** The validated config of this run. */
  config!: TConfig;
  /** The context of this run. */
  ctx!: StepContext;
  /** Implemented by each step; receives its inputs and returns its outputs by key. */
  abstract run(...args: never[]): Promise<unknown>;
}
