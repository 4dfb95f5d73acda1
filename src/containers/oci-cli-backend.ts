import { ContainerBackendError, ExecutionError } from '../errors/execution-error';
import {
  type ContainerBackend, type ContainerBackendName, type ContainerRunResult, type ContainerSpec,
  captureCli, cliEnv, validateContainerSpec,
} from './backend';
import { executeCommand, readLastLines, resolveExecutable, STDERR_TAIL_LINES } from './command-executor';

/** What distinguishes one docker-compatible CLI from another. @internal */
export interface OciCliProfile {
  name: ContainerBackendName;
  /** Executable name or path of the CLI. */
  binary: string;
  /** Arguments placed before the subcommand (`podman --runtime runc run …`). */
  globalArgs: readonly string[];
  /** Extra environment of the CLI process (not of the container). */
  env: Readonly<Record<string, string>>;
  /** Go template of `image inspect` that prints the digest. */
  digestFormat: string;
  /** `--network` value for `run` (default `none`: steps must not depend on the network). */
  network: string;
  /** How to install the CLI, quoted in errors. */
  installFix: string;
  /** A command that must succeed for the engine to count as available (docker: the daemon). */
  probeArgs?: readonly string[];
}

const IMAGE_MISSING = /image not known|no such image|no such object|unable to find image|manifest unknown/i;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Shared implementation of the docker and podman backends (same CLI shape). @internal */
export abstract class OciCliBackend implements ContainerBackend {
  protected constructor(protected readonly profile: OciCliProfile) {}

  get name(): ContainerBackendName {
    return this.profile.name;
  }

  async available(): Promise<boolean> {
    try {
      const bin = await this.binary();
      if (!this.profile.probeArgs) return true;
      const probe = [...this.profile.globalArgs, ...this.profile.probeArgs];
      return (await captureCli(bin, probe, this.env())).exitCode === 0;
    } catch {
      return false;
    }
  }

  async imageDigest(image: string): Promise<string> {
    const bin = await this.binary();
    const args = [...this.profile.globalArgs, 'image', 'inspect', '--format', this.profile.digestFormat, image];
    const r = await captureCli(bin, args, this.env());
    const digest = r.stdout.trim();
    if (r.exitCode === 0 && DIGEST.test(digest)) return digest;
    if (r.exitCode !== 0 && IMAGE_MISSING.test(r.stderr)) throw this.imageNotFound(image, r.stderr);
    if (r.exitCode === 0) {
      throw ContainerBackendError.imageNotFound(this.name, image,
        `'${this.profile.binary} image inspect' printed no digest (${JSON.stringify(digest.slice(0, 80))}); ` +
          `re-import or re-pull the image`);
    }
    throw this.unavailable(`'${this.profile.binary} image inspect' failed: ${firstLine(r.stderr || r.error?.message)}`, r.error);
  }

  async run(spec: ContainerSpec): Promise<ContainerRunResult> {
    const mounts = await validateContainerSpec(spec);
    const bin = await this.binary();
    const args = [...this.profile.globalArgs, 'run', '--rm', '--pull=never', '--network', this.profile.network];
    for (const [host, target] of mounts) args.push('-v', `${host}:${target}`);
    for (const [k, v] of Object.entries(spec.env ?? {})) args.push('-e', `${k}=${v}`);
    if (spec.workdir !== undefined) args.push('-w', spec.workdir);
    args.push(spec.image, ...spec.command);
    const r = await executeCommand({
      argv: [bin, ...args], env: this.env(), inheritEnv: false,
      stdoutPath: spec.stdoutPath, stderrPath: spec.stderrPath, allowNonZeroExit: true,
    });
    if (r.exitCode === 0 && !r.signal) return { exitCode: 0, signal: null, durationMs: r.durationMs };
    const tail = await readLastLines(spec.stderrPath, STDERR_TAIL_LINES);
    // 125 is the engine's own failure (not the container's exit code) in both docker and podman.
    if (r.exitCode === 125 && IMAGE_MISSING.test(tail.join('\n'))) throw this.imageNotFound(spec.image, tail.join('\n'));
    if (spec.allowNonZeroExit) return { exitCode: r.exitCode, signal: r.signal, durationMs: r.durationMs };
    throw ExecutionError.commandFailed({
      argv: spec.command, exitCode: r.exitCode, signal: r.signal, stderrTail: tail, stderrPath: spec.stderrPath,
      what: `Container ${spec.image} (${this.name})`,
    });
  }

  /** The absolute path of the CLI. @throws ContainerBackendError `CONTAINER_BACKEND_UNAVAILABLE`. */
  protected async binary(): Promise<string> {
    try {
      return await resolveExecutable(this.profile.binary, this.env());
    } catch (e) {
      throw this.unavailable(`'${this.profile.binary}' was not found on PATH`, e);
    }
  }

  /** The environment of every CLI call. */
  protected env(): Record<string, string> {
    return cliEnv(this.profile.env);
  }

  protected unavailable(why: string, cause?: unknown): ContainerBackendError {
    return ContainerBackendError.backendUnavailable(this.name, why, this.profile.installFix, cause);
  }

  private imageNotFound(image: string, stderr: string): ContainerBackendError {
    return ContainerBackendError.imageNotFound(this.name, image,
      `'${this.profile.binary} pull ${image}' (or build/import it) first; consist-ts never pulls while running ` +
        `(engine said: ${firstLine(stderr)})`);
  }
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line || 'no message';
}
