import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Whether a Slurm cluster answers here, and if not, why. */
export interface SlurmStatus { available: boolean; reason?: string }

let cached: SlurmStatus | undefined;

/** The slurm.conf of the cluster scripts/slurm-up.sh starts (same default dir as the script). */
export function testSlurmConf(): string {
  const dir = process.env.SLURM_CI_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', 'consist-slurm');
  return path.join(dir, 'etc', 'slurm.conf');
}

/**
 * Starts (or finds running) the loopback cluster with scripts/slurm-up.sh, once per test file,
 * and points SLURM_CONF at it when unset. Synchronous so it can decide at collection time.
 * CONSIST_SKIP_SLURM_SETUP=1 only probes an existing cluster.
 */
export function slurmAvailable(): SlurmStatus {
  if (cached) return cached;
  let said = '';
  if (process.env.CONSIST_SKIP_SLURM_SETUP !== '1') {
    const up = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'slurm-up.sh')], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000,
    });
    said = `${up.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    if (up.status !== 0) return (cached = { available: false, reason: said || `slurm-up.sh exited ${up.status}` });
  }
  process.env.SLURM_CONF ??= testSlurmConf();
  const probe = spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error) return (cached = { available: false, reason: `sinfo is not installed (${probe.error.message})` });
  if (probe.status !== 0) return (cached = { available: false, reason: `sinfo failed: ${probe.stderr.trim()}` });
  return (cached = { available: true });
}

/**
 * `describe` when a Slurm cluster answers; otherwise prints a visible warning and registers the
 * block as skipped. CONSIST_REQUIRE_SLURM=1 fails instead of skipping.
 */
export function describeWithSlurm(name: string, fn: () => void): void {
  const status = os.platform() === 'linux' ? slurmAvailable() : { available: false, reason: 'not Linux' };
  if (status.available) {
    describe(name, fn);
    return;
  }
  const message = `SKIPPED "${name}": ${status.reason}. Run \`bash scripts/slurm-up.sh\` as root on Debian to enable the Slurm tests.`;
  if (process.env.CONSIST_REQUIRE_SLURM === '1') throw new Error(`CONSIST_REQUIRE_SLURM=1 but ${message}`);
  console.warn(`\n⚠️  ${message}\n`);
  describe.skip(`${name} [skipped: ${status.reason}]`, fn);
}
