import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ConfigurationError } from '../errors/config-error';
import { type CommandEnv, sortedEntries } from './command-executor';

/** The container engines consist-ts drives through their CLIs. */
export type ContainerBackendName = 'docker' | 'podman' | 'apptainer';

/** Every backend name, in the order they are documented. */
export const CONTAINER_BACKEND_NAMES: readonly ContainerBackendName[] = Object.freeze(['docker', 'podman', 'apptainer']);

/** One container execution: what runs, what is mounted, and where its output goes. */
export interface ContainerSpec {
  /** A local image reference (`localhost/x:tag`, `x@sha256:…`) or, for apptainer, a `.sif` path. */
  image: string;
  /** argv inside the container (no shell unless you call one). */
  command: readonly string[];
  /** Host path → absolute container path. Host paths must exist; they are not part of the identity. */
  volumes?: Readonly<Record<string, string>>;
  /** Environment entries set inside the container. */
  env?: CommandEnv;
  /** Absolute working directory inside the container. */
  workdir?: string;
  /** The engine CLI's stdout (= the container's stdout) is streamed into this host file. */
  stdoutPath: string;
  /** The engine CLI's stderr (container stderr plus engine messages) is streamed into this host file. */
  stderrPath: string;
  /** Default false: a non-zero exit throws `COMMAND_FAILED` with the stderr tail. */
  allowNonZeroExit?: boolean;
}

/** How a container run ended (`exitCode` null when the CLI was killed by a signal). */
export interface ContainerRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
}

/** A container engine driven through its command-line interface. */
export interface ContainerBackend {
  readonly name: ContainerBackendName;
  /** True when the engine's CLI is installed (and, for docker, its daemon answers). Never throws. */
  available(): Promise<boolean>;
  /**
   * The content digest of a locally present image (`sha256:<hex>`), never the tag.
   * @throws ContainerBackendError `CONTAINER_BACKEND_UNAVAILABLE` or `CONTAINER_IMAGE_NOT_FOUND`.
   */
  imageDigest(image: string): Promise<string>;
  /** Runs `spec` to completion; never pulls an image. */
  run(spec: ContainerSpec): Promise<ContainerRunResult>;
}

/** The signature-relevant description of a container step; see {@link containerIdentity}. */
export interface ContainerIdentity {
  backend: ContainerBackendName;
  imageDigest: string;
  command: string[];
  /** `[name, value]` pairs sorted by name. */
  env: [string, string][];
  /** Container-side mount points, normalized and sorted. */
  mounts: string[];
  /** Container-side working directory, or null for the image default. */
  workdir: string | null;
}

/**
 * The part of a container step that goes into its signature: backend, image digest, command, env,
 * container-side mount points and workdir. Host paths are excluded on purpose: the container only
 * sees the container-side paths, so moving the data on the host must not invalidate the cache
 * (the files themselves count through the step's inputs, hashed by content).
 */
export function containerIdentity(spec: Pick<ContainerSpec, 'command' | 'env' | 'volumes' | 'workdir'>,
  digest: string, backendName: ContainerBackendName): ContainerIdentity {
  return {
    backend: backendName,
    imageDigest: digest,
    command: [...spec.command],
    env: sortedEntries(spec.env),
    mounts: Object.values(spec.volumes ?? {}).map(normalizeContainerPath).sort(),
    workdir: spec.workdir === undefined ? null : normalizeContainerPath(spec.workdir),
  };
}

function normalizeContainerPath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/**
 * Checks a spec before any engine is called and returns its mounts as absolute host → container
 * pairs. @throws ConfigurationError naming the offending field. @internal
 */
export async function validateContainerSpec(spec: ContainerSpec): Promise<[string, string][]> {
  if (typeof spec.image !== 'string' || spec.image.trim() === '') {
    throw ConfigurationError.invalidOption('image', spec.image, 'a non-empty image reference');
  }
  if (!Array.isArray(spec.command) || spec.command.length === 0 || !spec.command.every((a) => typeof a === 'string')) {
    throw ConfigurationError.invalidOption('command', spec.command, 'a non-empty array of strings');
  }
  if (spec.workdir !== undefined && (typeof spec.workdir !== 'string' || !spec.workdir.startsWith('/'))) {
    throw ConfigurationError.invalidOption('workdir', spec.workdir, 'an absolute container path');
  }
  const mounts: [string, string][] = [];
  const seen = new Set<string>();
  for (const [host, target] of Object.entries(spec.volumes ?? {})) {
    const hostAbs = path.resolve(host);
    const key = `volumes[${JSON.stringify(host)}]`;
    if (typeof target !== 'string' || !target.startsWith('/') || target.includes(',')) {
      throw ConfigurationError.invalidOption(key, target, 'an absolute container path without commas');
    }
    if (hostAbs.includes(':') || hostAbs.includes(',')) {
      throw ConfigurationError.invalidOption('volumes', host, 'a host path without ":" or "," (the engines\' -v syntax)');
    }
    if (!(await fs.stat(hostAbs).catch(() => undefined))) {
      throw ConfigurationError.invalidOption('volumes', host, 'an existing host path (create the folder first)');
    }
    const normalized = normalizeContainerPath(target);
    if (seen.has(normalized)) throw ConfigurationError.invalidOption(key, target, 'a container path mounted only once');
    seen.add(normalized);
    mounts.push([hostAbs, target]);
  }
  return mounts;
}

/** Output of a short CLI call whose output is small (inspect, version). @internal */
export interface CliCapture {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started or timed out. */
  error?: Error;
}

/** Runs a short CLI query with bounded captured output (1 MiB, 60 s). @internal */
export function captureCli(binary: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliCapture> {
  return new Promise((resolve) => {
    execFile(binary, [...args], { env, maxBuffer: 1024 * 1024, timeout: 60_000, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error && typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : error ? -1 : 0;
        resolve({ exitCode: code, stdout: String(stdout), stderr: String(stderr), error: error ?? undefined });
      });
  });
}

/** `process.env` (defined entries only) plus `extra`. @internal */
export function cliEnv(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...(extra ?? {}) };
}
