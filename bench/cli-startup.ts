import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { reps, type Bench } from './context';
import { compare, timePair } from './harness';

const exec = promisify(execFile);

/** `consist --help` (the built bin, `dist/cli/main.js`) against `node -e 0`, both spawned. */
export const cliStartupBench: Bench = {
  name: 'cli-startup',
  async run(ctx) {
    const cli = path.join(ctx.packageRoot, 'dist', 'cli', 'main.js');
    const t = await timePair(
      async () => {
        const { stdout } = await exec(process.execPath, [cli, '--help']);
        if (!stdout.includes('Usage: consist')) throw new Error('consist --help printed no usage');
      },
      () => exec(process.execPath, ['-e', '0']),
      reps(ctx.sizes, ctx.sizes['cli.reps']),
    );
    return [compare('CLI start-up: consist --help', t.ours, t.floor, '<= 4', { note: 'floor: node -e 0' })];
  },
};
