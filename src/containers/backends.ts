import { ContainerBackendError } from '../errors/execution-error';
import { ApptainerBackend, type ApptainerBackendOptions } from './apptainer-backend';
import { CONTAINER_BACKEND_NAMES, type ContainerBackend, type ContainerBackendName } from './backend';
import { DockerBackend, type DockerBackendOptions } from './docker-backend';
import { PodmanBackend, type PodmanBackendOptions } from './podman-backend';

/** Per-backend options accepted by {@link createBackend}. */
export interface BackendOptionsByName {
  docker: DockerBackendOptions;
  podman: PodmanBackendOptions;
  apptainer: ApptainerBackendOptions;
}

/** True when `name` is one of the supported backend names. */
export function isContainerBackendName(name: unknown): name is ContainerBackendName {
  return typeof name === 'string' && (CONTAINER_BACKEND_NAMES as readonly string[]).includes(name);
}

/**
 * Builds the backend called `name`. Nothing is executed: a missing CLI is reported by
 * `available()` or by the first `imageDigest`/`run` call.
 * @throws ContainerBackendError `CONTAINER_BACKEND_UNAVAILABLE` for an unknown name.
 * @example
 * const backend = await createBackend('podman');
 * const digest = await backend.imageDigest('localhost/consist-busybox:test');
 */
export async function createBackend<N extends ContainerBackendName>(name: N,
  options?: BackendOptionsByName[N]): Promise<ContainerBackend>;
export async function createBackend(name: string, options?: object): Promise<ContainerBackend>;
export async function createBackend(name: string, options: object = {}): Promise<ContainerBackend> {
  switch (name) {
    case 'docker': return new DockerBackend(options as DockerBackendOptions);
    case 'podman': return PodmanBackend.create(options as PodmanBackendOptions);
    case 'apptainer': return new ApptainerBackend(options as ApptainerBackendOptions);
    default: throw ContainerBackendError.unknownBackend(name, CONTAINER_BACKEND_NAMES);
  }
}
