import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContainerBackendError, ExecutionError } from '../errors/execution-error';
import { hashFile } from '../identity/hash';
import {
  type ContainerBackend, type ContainerRunResult, type ContainerSpec, cliEnv, validateContainerSpec,
} from './backend';
import { executeCommand, readLastLines, resolveExecutable, STDERR_TAIL_LINES } from './command-executor';

/** Options of {@link ApptainerBackend}. */
export interface ApptainerBackendOptions {
  /** Executable name or path (default `apptainer`; `singularity` works too). */
  binary?: string;
  /** Extra flags of `exec` (default `['--contain', '--cleanenv']`: no host home, no host env). */
  execArgs?: readonly string[];
  /** Extra environment of the apptainer CLI process. */
  env?: Readonly<Record<string, string>>;
}

/**
 * Runs `apptainer exec --bind host:container --env K=V [--pwd dir] <image.sif> …`. Images are local
 * `.sif` files (HPC clusters keep them on shared storage); the digest is the sha256 of the file's
 * bytes, so the same file copied elsewhere keeps its identity. Remote references (`docker://…`,
 * `library://…`) must be pulled to a `.sif` first: resolving them would need the network.
 * Note: apptainer shares the host network (isolating it needs root and `--net`).
 */
export class ApptainerBackend implements ContainerBackend {
  readonly name = 'apptainer' as const;
  private readonly binaryName: string;

  constructor(private readonly options: ApptainerBackendOptions = {}) {
    this.binaryName = options.binary ?? 'apptainer';
  }

  async available(): Promise<boolean> {
    return this.binary().then(() => true, () => false);
  }

  async imageDigest(image: string): Promise<string> {
    await this.binary();
    const file = path.resolve(image);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) {
      throw ContainerBackendError.imageNotFound(this.name, image, /^\w+:\/\//.test(image)
        ? `pull it to a file first (apptainer pull image.sif ${image}) and pass the .sif path`
        : 'pass the path of an existing .sif file (apptainer build image.sif docker://…)');
    }
    const hash = await hashFile(file, 'full');
    return hash.startsWith('sha256:') ? hash : `sha256:${hash}`;
  }

  async run(spec: ContainerSpec): Promise<ContainerRunResult> {
    const mounts = await validateContainerSpec(spec);
    await this.imageDigest(spec.image); // same "image not found" error as the digest, before starting
    const bin = await this.binary();
    const args = ['exec', ...(this.options.execArgs ?? ['--contain', '--cleanenv'])];
    for (const [host, target] of mounts) args.push('--bind', `${host}:${target}`);
    for (const [k, v] of Object.entries(spec.env ?? {})) args.push('--env', `${k}=${v}`);
    if (spec.workdir !== undefined) args.push('--pwd', spec.workdir);
    args.push(path.resolve(spec.image), ...spec.command);
    const r = await executeCommand({
      argv: [bin, ...args], env: cliEnv(this.options.env), inheritEnv: false,
      stdoutPath: spec.stdoutPath, stderrPath: spec.stderrPath, allowNonZeroExit: true,
    });
    if ((r.exitCode === 0 && !r.signal) || spec.allowNonZeroExit) {
      return { exitCode: r.exitCode, signal: r.signal, durationMs: r.durationMs };
    }
    throw ExecutionError.commandFailed({
      argv: spec.command, exitCode: r.exitCode, signal: r.signal, stderrPath: spec.stderrPath,
      stderrTail: await readLastLines(spec.stderrPath, STDERR_TAIL_LINES), what: `Container ${spec.image} (apptainer)`,
    });
  }

  private async binary(): Promise<string> {
    try {
      return await resolveExecutable(this.binaryName, cliEnv(this.options.env));
    } catch (e) {
      throw ContainerBackendError.backendUnavailable(this.name, `'${this.binaryName}' was not found on PATH`,
        'install Apptainer (https://apptainer.org/docs/admin/main/installation.html; on clusters `module load apptainer`) ' +
          "or pass { binary: 'singularity' }", e);
    }
  }
}
