import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { PodmanBackendOptions } from '../../src/containers/podman-backend';

/** The busybox image `scripts/setup-podman.sh` imports (no registry involved). */
export const TEST_IMAGE = 'localhost/consist-busybox:test';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** The containers.conf written by the setup script. */
export const TEST_CONTAINERS_CONF = path.join(PROJECT_ROOT, '.tmp', 'containers.conf');

/** Whether real podman containers can run here, and if not, why. */
export interface PodmanStatus {
  available: boolean;
  reason?: string;
}

let cached: PodmanStatus | undefined;

/** Backend options matching what the setup script prepared. */
export function podmanTestOptions(): PodmanBackendOptions {
  return { containersConf: TEST_CONTAINERS_CONF };
}

/**
 * Runs `scripts/setup-podman.sh` once per test file (fast when all is present; installs podman
 * when root with apt-get, unless CONSIST_SKIP_PODMAN_SETUP=1), then checks that podman runs and
 * that the test image is present. Synchronous so that it can decide at collection time.
 */
export function podmanAvailable(): PodmanStatus {
  if (cached) return cached;
  let setupSaid = '';
  if (process.env.CONSIST_SKIP_PODMAN_SETUP !== '1') {
    const setup = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'setup-podman.sh')], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000,
    });
    setupSaid = (setup.stderr ?? '').trim().split('\n').filter((l) => !/will be skipped/.test(l)).pop() ?? '';
  }
  const probe = spawnSync('podman', ['--cgroup-manager=cgroupfs', '--runtime', 'runc', 'image', 'exists', TEST_IMAGE], {
    env: { ...process.env, CONTAINERS_CONF: TEST_CONTAINERS_CONF }, encoding: 'utf8', timeout: 60_000,
  });
  if (probe.error) cached = { available: false, reason: `podman is not installed (${probe.error.message})` };
  else if (probe.status !== 0) cached = { available: false, reason: `image ${TEST_IMAGE} is missing (${probe.stderr.trim() || `exit ${probe.status}`})` };
  else cached = { available: true };
  if (!cached.available && setupSaid) cached.reason = `${cached.reason}; ${setupSaid}`;
  return cached;
}

/**
 * `describe` when podman can run the test image; otherwise prints a visible warning and registers
 * the block as skipped (so jest's summary counts it). With CONSIST_REQUIRE_PODMAN=1 a missing
 * podman fails the file instead of skipping.
 */
export function describeWithPodman(name: string, fn: () => void): void {
  const status = podmanAvailable();
  if (status.available) {
    describe(name, fn);
    return;
  }
  const message = `SKIPPED "${name}": ${status.reason}. Run \`bash scripts/setup-podman.sh\` as root on Debian to enable real-container tests.`;
  if (process.env.CONSIST_REQUIRE_PODMAN === '1') throw new Error(`CONSIST_REQUIRE_PODMAN=1 but ${message}`);
  console.warn(`\n⚠️  ${message}\n`);
  describe.skip(`${name} [skipped: ${status.reason}]`, fn);
}
