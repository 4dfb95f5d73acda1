import type { ArtifactLoader } from '../artifacts/loader';
import { ConfigurationError } from '../errors';
import { definitionFromOptions, type StepDefinition } from '../metadata/compile-step';
import type { FunctionStepOptions, RunStepOptions } from './run-step-options';
import { functionInvoker, type StepInvoker } from './step-invoker';

const BINDINGS: readonly string[] = ['path', 'table', 'artifact'];

/** Compiles the functional form `tracker.run({ name, fn, outputs, … })`. @internal */
export function functionStep(step: FunctionStepOptions, loader: ArtifactLoader): { def: StepDefinition; code: Function; invoke: StepInvoker; opts: RunStepOptions } {
  if (typeof step !== 'object' || step === null || typeof step.fn !== 'function') {
    throw ConfigurationError.invalidOption('step', step, 'a @Step class or { name, fn, … }');
  }
  if (typeof step.name !== 'string' || !step.name) throw ConfigurationError.invalidOption('name', step.name, 'a non-empty string');
  const { fn, outputs, inputBinding, codeVersion, ...opts } = step;
  if (inputBinding !== undefined && !BINDINGS.includes(inputBinding)) throw ConfigurationError.invalidOption('inputBinding', inputBinding, BINDINGS.join(' | '));
  const def = definitionFromOptions({ name: step.name, outputs, codeVersion }, null, []);
  return { def, code: fn, invoke: functionInvoker(fn as never, inputBinding ?? 'path', loader), opts };
}
