import * as path from 'node:path';
import {
  type ContainerBackend, type ContainerBackendName, type ContainerIdentity, containerIdentity, validateContainerSpec,
} from '../containers/backend';
import { type BackendOptionsByName, createBackend } from '../containers/backends';
import type { CommandEnv } from '../containers/command-executor';
import { ConfigurationError } from '../errors';
import type { StepInvoker } from './step-invoker';
import {
  assertEnv, combineVersion, commandStep, existingOutputs, type ExternalStep, externalDefinition, type ExternalStepOptions,
  normalizeInputs, resolveOutputs, type RunCommandOptions, STDERR_FILE, STDOUT_FILE,
} from './command-step';
import { attachOutputFacets, splitOutputSpecs } from './output-facets';

/**
 * Options of `tracker.runContainer`. Relative `inputs`/`outputs` paths are host paths resolved
 * against the current directory.
 * @example
 * await tracker.runContainer({
 *   image: 'travel-model:v2.1', backend: 'podman', command: ['python', 'run.py', '--year', '2030'],
 *   volumes: { '/data/inputs': '/inputs', '/data/outputs': '/outputs' },
 *   inputs: ['/data/inputs/input.csv'], outputs: { results: '/data/outputs/results.parquet' },
 * });
 */
export interface RunContainerOptions extends ExternalStepOptions {
  /** A locally present image (never pulled); for apptainer, a `.sif` path. Identified by its digest, not its tag. */
  image: string;
  /** `'docker'` (default), `'podman'`, `'apptainer'`, or a configured {@link ContainerBackend}. */
  backend?: ContainerBackendName | ContainerBackend;
  /** Options of the named backend (e.g. podman's `containersConf`, a `binary` path). */
  backendOptions?: BackendOptionsByName[ContainerBackendName];
  /** argv inside the container. */
  command: readonly string[];
  /** Host path → container path. Only the container side is hashed: moving the host folder still hits. */
  volumes?: Readonly<Record<string, string>>;
  /** Environment entries set inside the container (hashed). */
  env?: CommandEnv;
  /** Absolute working directory inside the container (hashed). */
  workdir?: string;
}

function externalProgram(): void {}

/**
 * Compiles `tracker.runContainer` options into a step. The code identity is pinned to
 * `<backend>@<image digest>`; command, env, container-side mounts and workdir are the step's config
 * (`container.command[1]`, `container.env.X`, `container.mounts` in a miss explanation). The spec
 * is validated and the digest resolved now, so a bad volume, a missing backend CLI or a missing
 * image fail before any run is recorded. @internal
 */
export async function containerStep(options: RunContainerOptions): Promise<ExternalStep> {
  if (typeof options !== 'object' || options === null) throw ConfigurationError.invalidOption('options', options, 'an object');
  const { image, backend, backendOptions, command, volumes, env, workdir, inputs, outputs, name, codeVersion, ...rest } = options;
  assertEnv(env);
  await validateContainerSpec({ image, command, volumes, env, workdir, stdoutPath: '', stderrPath: '' });
  const engine = await resolveBackend(backend, backendOptions);
  const identity = containerIdentity({ command, env, volumes, workdir }, await engine.imageDigest(image), engine.name);
  const specs = splitOutputSpecs(outputs);
  const outputPaths = resolveOutputs(outputs, process.cwd());
  const invoke: StepInvoker = async (ctx) => {
    await engine.run({
      image, command, volumes, env, workdir,
      stdoutPath: path.join(ctx.runDir, STDOUT_FILE), stderrPath: path.join(ctx.runDir, STDERR_FILE),
    });
    return attachOutputFacets(await existingOutputs(outputPaths), specs.facets);
  };
  return {
    def: externalDefinition(name ?? imageName(image), outputPaths, combineVersion(`${identity.backend}@${identity.imageDigest}`, codeVersion)),
    code: externalProgram,
    invoke,
    opts: { ...rest, inputs: normalizeInputs(inputs, process.cwd()), config: { container: containerConfig(identity) } },
  };
}

async function resolveBackend(backend: RunContainerOptions['backend'], options: object | undefined): Promise<ContainerBackend> {
  if (typeof backend === 'object' && backend !== null) {
    if (typeof backend.imageDigest !== 'function' || typeof backend.run !== 'function') {
      throw ConfigurationError.invalidOption('backend', backend, "'docker' | 'podman' | 'apptainer' or a ContainerBackend");
    }
    return backend;
  }
  return createBackend(String(backend ?? 'docker'), options ?? {});
}

function containerConfig(identity: ContainerIdentity): Record<string, unknown> {
  return { command: identity.command, env: Object.fromEntries(identity.env), mounts: identity.mounts, workdir: identity.workdir };
}

/** `localhost/travel-model:v2.1` → `travel-model`; `/images/model.sif` → `model`. */
function imageName(image: string): string {
  const last = image.split('@')[0].split('/').pop() ?? image;
  return last.replace(/\.sif$/, '').replace(/:[^:]*$/, '') || 'container';
}

/**
 * The `tracker.run({ executor, … })` form: `executor: 'container'` takes {@link RunContainerOptions},
 * `executor: 'command'` takes `RunCommandOptions`; same semantics as `runContainer` / `runCommand`.
 */
export type ExecutorStepOptions =
  | ({ executor: 'container' } & RunContainerOptions)
  | ({ executor: 'command' } & RunCommandOptions);

/** True for the `{ executor: … }` form of `tracker.run`. @internal */
export function isExecutorStep(step: unknown): step is ExecutorStepOptions {
  return typeof step === 'object' && step !== null && 'executor' in step;
}

/** Compiles the `{ executor, … }` form. @internal */
export function executorStep(step: ExecutorStepOptions): Promise<ExternalStep> {
  const { executor, ...options } = step;
  if (executor === 'container') return containerStep(options as RunContainerOptions);
  if (executor === 'command') return commandStep(options as RunCommandOptions);
  throw ConfigurationError.invalidOption('executor', executor, "'container' | 'command'");
}
