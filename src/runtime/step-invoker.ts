import type { DependencyContainer } from 'tsyringe';
import type { ArtifactLoader } from '../artifacts/loader';
import type { ParamDefinition, StepDefinition } from '../metadata/compile-step';
import type { InputBinding } from '../metadata/step-metadata';
import type { Artifact } from '../model';
import type { ResolvedInput } from './input-resolver';
import type { StepContext } from './step-context';
import type { FunctionInputs } from './run-step-options';

/** Calls the user's code with bound inputs. @internal */
export type StepInvoker = (ctx: StepContext, inputs: readonly ResolvedInput[], config: object) => Promise<unknown>;

async function bind(loader: ArtifactLoader, artifact: Artifact | undefined, as: InputBinding): Promise<unknown> {
  if (!artifact) return undefined;
  if (as === 'table') return loader.load(artifact);
  if (as === 'path') return artifact.path;
  return artifact;
}

/** An invoker for a `@Step` class: resolved from the DI container, `config`/`ctx` set, `run()` called. @internal */
export function classInvoker(def: StepDefinition, container: DependencyContainer, loader: ArtifactLoader): StepInvoker {
  return async (ctx, inputs, config) => {
    const target = def.target as unknown as new (...a: unknown[]) => { config: object; ctx: StepContext; run(...a: unknown[]): Promise<unknown> };
    const instance = container.resolve(target);
    instance.config = config;
    instance.ctx = ctx;
    const byKey = new Map(inputs.map((i) => [i.key, i.artifact]));
    const args = await Promise.all(def.params.map((p: ParamDefinition) =>
      p.kind === 'context' ? ctx : bind(loader, byKey.get(p.key), p.as)));
    return instance.run(...args);
  };
}

/** An invoker for a function step: `fn(inputsByKey, ctx)`, inputs bound as `as`. @internal */
export function functionInvoker(
  fn: (inputs: FunctionInputs, ctx: StepContext & { config: object }) => unknown,
  as: InputBinding,
  loader: ArtifactLoader,
): StepInvoker {
  return async (ctx, inputs, config) => {
    const bound: FunctionInputs = {};
    for (const i of inputs) bound[i.key] = (await bind(loader, i.artifact, as)) as FunctionInputs[string];
    return fn(bound, Object.assign(ctx, { config }));
  };
}

/** The arguments a {@link StepInvoker} is called with. @internal */
export interface InvokeArgs {
  ctx: StepContext;
  inputs: readonly ResolvedInput[];
  config: object;
}

/**
 * Calls `invoke`, wrapped in `ctx.captureOutputs` when the step declares `captureDir`
 * (`@Step({ captureDir, capturePattern })`): files the step creates or modifies there become
 * outputs keyed by file stem. A relative `captureDir` is inside the run folder. @internal
 */
export async function invokeWithCapture(def: StepDefinition, invoke: StepInvoker, args: InvokeArgs): Promise<unknown> {
  const { ctx, inputs, config } = args;
  if (def.captureDir === null) return invoke(ctx, inputs, config);
  let returned: unknown;
  await ctx.captureOutputs(def.captureDir, { pattern: def.capturePattern ?? undefined }, async () => {
    returned = await invoke(ctx, inputs, config);
  });
  return returned;
}
