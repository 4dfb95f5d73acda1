import { existsSync } from 'node:fs';

/** The Chromium the browser tests drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` when a Chromium binary is present; otherwise prints a visible warning and registers
 * the block as skipped (npm cannot download browsers here: `apt-get install chromium`, as `.ci/run`
 * does). With CONSIST_REQUIRE_CHROMIUM=1 a missing browser fails instead.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, fn);
    return;
  }
  const message = `SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH.`;
  if (process.env.CONSIST_REQUIRE_CHROMIUM === '1') throw new Error(`CONSIST_REQUIRE_CHROMIUM=1 but ${message}`);
  console.warn(`\n⚠️  ${message}\n`);
  describe.skip(`${name} [skipped: no Chromium]`, fn);
}
