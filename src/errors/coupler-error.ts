import { ConsistError } from './consist-error';

/** Codes of {@link CouplerError}. */
export type CouplerErrorCode = 'COUPLER_KEY_MISSING' | 'COUPLER_KEY_INVALID' | 'SCENARIO_OUTPUTS_MISSING';

/** A coupler key problem inside a scenario. */
export class CouplerError extends ConsistError<CouplerErrorCode> {
  constructor(readonly code: CouplerErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }
}

/** A required coupler key is not set. */
export class CouplerKeyMissingError extends CouplerError {
  constructor(readonly key: string, readonly available: readonly string[]) {
    super('COUPLER_KEY_MISSING',
      `Coupler key '${key}' is not set. Available keys: ${available.length ? available.join(', ') : '(none)'}. ` +
        `Run the step that produces it first, or pass the input explicitly.`, { key, available });
  }
}

/** Required declared outputs of a scenario were never produced. */
export class ScenarioOutputsMissingError extends CouplerError {
  constructor(readonly scenario: string, readonly missing: readonly string[]) {
    super('SCENARIO_OUTPUTS_MISSING',
      `Scenario '${scenario}' ended without its required outputs: ${missing.join(', ')}. ` +
        `Produce them in run(), or declare them optional.`, { scenario, missing });
  }
}
