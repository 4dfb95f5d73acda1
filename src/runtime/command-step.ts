import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { type CommandEnv, type CommandIdentity, commandIdentity, executeCommand } from '../containers/command-executor';
import { ConfigurationError } from '../errors';
import { definitionFromOptions, type StepDefinition } from '../metadata/compile-step';
import { keyFromPath } from '../model/artifact-key';
import type { InputRef, RunStepOptions } from './run-step-options';
import type { StepInvoker } from './step-invoker';
import { attachOutputFacets, splitOutputSpecs, type ExternalOutputSpec } from './output-facets';

/**
 * Options shared by {@link RunCommandOptions} and `RunContainerOptions`: the usual run options,
 * minus `config` (the command itself is the configuration), with list-or-map inputs and path outputs.
 */
export interface ExternalStepOptions extends Omit<RunStepOptions, 'inputs' | 'config'> {
  /** Step name, used to find earlier runs for miss explanations (default: derived from the program). */
  name?: string;
  /** Files hashed by content: a list (key = file stem, `data/input.csv` → `input`) or key → path/URI/Artifact. */
  inputs?: readonly InputRef[] | Readonly<Record<string, InputRef>>;
  /** Files the program writes, logged as outputs after it exits (key → path or `{ path, facet }`); each one is required. */
  outputs?: Readonly<Record<string, ExternalOutputSpec>>;
  /** Extra version string, e.g. for a script run through an interpreter whose bytes are not declared as inputs. */
  codeVersion?: string;
}

/**
 * Options of `tracker.runCommand`.
 * @example
 * await tracker.runCommand({ name: 'model', command: ['./model.sh', '--year', '2030'], cwd: 'models',
 *   env: { THREADS: '4' }, inputs: ['data/persons.csv'], outputs: { trips: 'out/trips.csv' } });
 */
export interface RunCommandOptions extends ExternalStepOptions {
  /** argv; argv[0] is resolved on PATH (or as a path relative to `cwd`). No shell unless you call one. */
  command: readonly string[];
  /** Working directory (default: the current one). Relative `inputs`, `outputs` and `dependsOn` paths resolve against it. Not hashed. */
  cwd?: string;
  /** Entries added to the child's environment; these, and only these, are part of the signature. */
  env?: CommandEnv;
  /** Default true: the child also sees `process.env` (never hashed). */
  inheritEnv?: boolean;
}

/** A compiled external step, ready for `StepRunner.run`. @internal */
export interface ExternalStep {
  def: StepDefinition;
  code: Function;
  invoke: StepInvoker;
  opts: RunStepOptions;
}

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The names of the capture files in the run folder. */
export const STDOUT_FILE = 'stdout.log';
/** @see STDOUT_FILE */
export const STDERR_FILE = 'stderr.log';

/** Pinned code identity of every external step: its program is identified by `codeVersion`, not by source. */
function externalProgram(): void {}

/**
 * Compiles `tracker.runCommand` options into a step. The code identity is pinned to the resolved
 * binary's content hash; argv and the passed env are the step's config (so a miss explanation
 * names `command.argv[2]` or `command.env.THREADS`). Resolves and hashes argv[0] now, so a missing
 * binary is `COMMAND_NOT_FOUND` before any run is recorded. @internal
 */
export async function commandStep(options: RunCommandOptions): Promise<ExternalStep> {
  if (!isObject(options)) throw ConfigurationError.invalidOption('options', options, 'an object');
  const { command, cwd, env, inheritEnv, inputs, outputs, name, codeVersion, ...rest } = options;
  assertEnv(env);
  if (cwd !== undefined && typeof cwd !== 'string') throw ConfigurationError.invalidOption('cwd', cwd, 'a folder path');
  if (inheritEnv !== undefined && typeof inheritEnv !== 'boolean') throw ConfigurationError.invalidOption('inheritEnv', inheritEnv, 'a boolean');
  const base = path.resolve(cwd ?? process.cwd());
  const identity = await commandIdentity({ argv: command, env, cwd: base });
  const stepName = name ?? path.basename(command[0]);
  const specs = splitOutputSpecs(outputs);
  const outputPaths = resolveOutputs(specs.paths as ExternalStepOptions['outputs'], base);
  const invoke: StepInvoker = async (ctx) => {
    await executeCommand({
      argv: command, cwd: base, env, inheritEnv, what: `Step '${stepName}'`,
      stdoutPath: path.join(ctx.runDir, STDOUT_FILE), stderrPath: path.join(ctx.runDir, STDERR_FILE),
    });
    return attachOutputFacets(await existingOutputs(outputPaths), specs.facets);
  };
  return {
    def: externalDefinition(stepName, outputPaths, combineVersion(identity.binaryHash, codeVersion)),
    code: externalProgram,
    invoke,
    opts: {
      ...rest, inputs: normalizeInputs(inputs, base), config: { command: commandConfig(identity) },
      dependsOn: Array.isArray(rest.dependsOn) ? rest.dependsOn.map((d) => resolveRef(d, base) as string) : rest.dependsOn,
    },
  };
}

function commandConfig(identity: CommandIdentity): Record<string, unknown> {
  return { argv: identity.argv, env: Object.fromEntries(identity.env) };
}

/** The step definition of an external program: its outputs are all required. @internal */
export function externalDefinition(name: string, outputs: Record<string, string>, codeVersion: string): StepDefinition {
  return definitionFromOptions({ name, outputs: Object.keys(outputs), codeVersion }, null, []);
}

/** `<program identity>` or `<program identity>+<user version>`. @internal */
export function combineVersion(program: string, user: string | undefined): string {
  if (user !== undefined && typeof user !== 'string') throw ConfigurationError.invalidOption('codeVersion', user, 'a string');
  return user ? `${program}+${user}` : program;
}

/** Checks `env` is a map of strings. @internal */
export function assertEnv(env: unknown): void {
  if (env === undefined) return;
  if (!isObject(env) || Object.values(env).some((v) => typeof v !== 'string')) {
    throw ConfigurationError.invalidOption('env', env, 'an object of NAME → string value');
  }
}

function resolveRef(ref: InputRef, base: string): InputRef {
  return typeof ref === 'string' && !URI.test(ref) ? path.resolve(base, ref) : ref;
}

/**
 * Inputs as a key → ref map: a list gets keys from file stems (an Artifact keeps its key); two
 * entries with the same key are a `ConfigurationError`. Relative paths resolve against `base`. @internal
 */
export function normalizeInputs(inputs: ExternalStepOptions['inputs'], base: string): Record<string, InputRef> {
  if (inputs === undefined) return {};
  if (isObject(inputs) && !Array.isArray(inputs)) {
    return Object.fromEntries(Object.entries(inputs as Record<string, InputRef>).map(([k, v]) => [k, resolveRef(v, base)]));
  }
  if (!Array.isArray(inputs)) throw ConfigurationError.invalidOption('inputs', inputs, 'a list of paths or an object of key → path');
  const out: Record<string, InputRef> = {};
  for (const ref of inputs as InputRef[]) {
    const key = typeof ref === 'string' ? keyFromPath(ref) : isObject(ref) ? String(ref.key) : '';
    if (!key) throw ConfigurationError.invalidOption('inputs[]', ref, 'a path, URI or Artifact');
    if (key in out) {
      throw ConfigurationError.invalidOption('inputs', inputs, `distinct file stems (two inputs map to key '${key}'); use an object of key → path`);
    }
    out[key] = resolveRef(ref, base);
  }
  return out;
}

/** Output key → absolute path. @internal */
export function resolveOutputs(outputs: ExternalStepOptions['outputs'], base: string): Record<string, string> {
  if (outputs === undefined) return {};
  if (!isObject(outputs)) throw ConfigurationError.invalidOption('outputs', outputs, 'an object of key → path');
  const out: Record<string, string> = {};
  for (const [key, p] of Object.entries(splitOutputSpecs(outputs).paths ?? {})) {
    if (typeof p !== 'string' || !p) throw ConfigurationError.invalidOption(`outputs.${key}`, p, 'a file path');
    out[key] = path.resolve(base, p);
  }
  return out;
}

/** The outputs whose files exist; the runner reports the others as `OutputMissingError`. @internal */
export async function existingOutputs(outputs: Record<string, string>): Promise<Record<string, string>> {
  const present: Record<string, string> = {};
  for (const [key, p] of Object.entries(outputs)) {
    if (await fs.stat(p).then(() => true, () => false)) present[key] = p;
  }
  return present;
}
