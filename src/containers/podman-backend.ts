import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OciCliBackend } from './oci-cli-backend';

/** Options of {@link PodmanBackend}; the defaults make rootful podman work on Debian hosts without systemd. */
export interface PodmanBackendOptions {
  /** Executable name or path (default `podman`). */
  binary?: string;
  /** `--cgroup-manager` value (default `cgroupfs`); null omits the flag. */
  cgroupManager?: string | null;
  /** `--runtime` value (default `runc`: crun fails on rlimits/cgroups in containers-in-containers); null omits it. */
  runtime?: string | null;
  /**
   * `CONTAINERS_CONF` for the CLI. Default: `$CONTAINERS_CONF` when set, otherwise a file written once to
   * the temp folder containing `[containers] default_ulimits = []`. `false` leaves podman's own default.
   */
  containersConf?: string | false;
  /** `--network` of `run` (default `none`). */
  network?: string;
  /** Extra environment of the podman CLI process. */
  env?: Readonly<Record<string, string>>;
}

/** Contents of the containers.conf written when none is given. */
export const PODMAN_CONTAINERS_CONF = '[containers]\ndefault_ulimits = []\n';

/**
 * Runs containers with `podman run --rm --pull=never --network none`, mounting volumes with `-v`
 * and passing env with `-e`; the image digest is `podman image inspect --format '{{.Digest}}'`.
 * @example
 * const podman = await PodmanBackend.create({ containersConf: '.tmp/containers.conf' });
 * const digest = await podman.imageDigest('localhost/consist-busybox:test');
 */
export class PodmanBackend extends OciCliBackend {
  private constructor(options: PodmanBackendOptions, containersConf: string | undefined) {
    const globalArgs: string[] = [];
    const cgroupManager = options.cgroupManager === undefined ? 'cgroupfs' : options.cgroupManager;
    const runtime = options.runtime === undefined ? 'runc' : options.runtime;
    if (cgroupManager !== null) globalArgs.push(`--cgroup-manager=${cgroupManager}`);
    if (runtime !== null) globalArgs.push('--runtime', runtime);
    super({
      name: 'podman', binary: options.binary ?? 'podman', globalArgs, digestFormat: '{{.Digest}}',
      env: { ...(containersConf ? { CONTAINERS_CONF: containersConf } : {}), ...(options.env ?? {}) },
      network: options.network ?? 'none',
      installFix: `install podman: apt-get install -y podman runc (Debian/Ubuntu, as root), or pass { binary: '/path/to/podman' }`,
    });
  }

  /** Builds a backend, writing the default containers.conf if it is needed and missing. */
  static async create(options: PodmanBackendOptions = {}): Promise<PodmanBackend> {
    return new PodmanBackend(options, await resolveContainersConf(options.containersConf));
  }
}

async function resolveContainersConf(option: string | false | undefined): Promise<string | undefined> {
  if (option === false) return undefined;
  if (option !== undefined) return path.resolve(option);
  if (process.env.CONTAINERS_CONF) return process.env.CONTAINERS_CONF;
  const file = path.join(os.tmpdir(), 'consist-ts', 'containers.conf');
  const current = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (current !== PODMAN_CONTAINERS_CONF) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    // Write-then-rename so that a concurrent reader never sees a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, PODMAN_CONTAINERS_CONF);
    await fs.rename(tmp, file);
  }
  return file;
}
