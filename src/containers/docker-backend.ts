import { OciCliBackend } from './oci-cli-backend';

/** Options of {@link DockerBackend}. */
export interface DockerBackendOptions {
  /** Executable name or path (default `docker`). */
  binary?: string;
  /** Arguments before the subcommand, e.g. `['--context', 'remote']`. */
  globalArgs?: readonly string[];
  /** `--network` of `run` (default `none`). */
  network?: string;
  /** Extra environment of the docker CLI process (e.g. `DOCKER_HOST`). */
  env?: Readonly<Record<string, string>>;
}

/**
 * Runs containers with `docker run --rm --pull=never --network none`, like {@link PodmanBackend}.
 * The digest is the image id (`docker image inspect --format '{{.Id}}'`): the sha256 of the image
 * config, present for pulled, loaded and locally built images alike, unlike `RepoDigests`, which
 * only exists for images pulled from (or pushed to) a registry and differs per registry.
 * `available()` also asks the daemon (`docker version`), since the CLI alone cannot run anything.
 */
export class DockerBackend extends OciCliBackend {
  constructor(options: DockerBackendOptions = {}) {
    super({
      name: 'docker', binary: options.binary ?? 'docker', globalArgs: [...(options.globalArgs ?? [])],
      env: { ...(options.env ?? {}) }, digestFormat: '{{.Id}}', network: options.network ?? 'none',
      installFix: 'install Docker Engine and start its daemon (systemctl start docker), check `docker version` ' +
        "shows a Server, or use backend 'podman' (apt-get install -y podman runc)",
      probeArgs: ['version', '--format', '{{.Server.Version}}'],
    });
  }
}
