import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { resolveStore, type StoreFlags } from '../config';
import { addStoreOptions } from '../context';

interface DemoModule { main(runDir: string): Promise<unknown> }

/**
 * The demo is examples/travel-demand, compiled by `npm run build` (tsconfig.demo.json) into
 * dist/demo/ and shipped in the package; it imports `consist-ts` by name, which resolves to this
 * same package (dist/index.js), so the CLI and the demo share one module graph.
 */
function loadDemo(): DemoModule {
  try {
    // Lazy and untyped on purpose: the demo module is optional and pulls in the whole runtime.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../demo/main') as DemoModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && (err as Error).message.includes("'../../demo/main'")) {
      throw CliError.unavailable('consist demo', 'dist/demo/ is not built; run `npm run build` in the consist-ts checkout');
    }
    throw err;
  }
}

/** `consist demo`: runs the bundled example workflow into the runs folder (see README). */
export function registerDemoCommand(program: Command): void {
  addStoreOptions(program.command('demo')
    .description('run a small example workflow twice (the second time from cache) into the runs folder'))
    .action(async (flags: StoreFlags) => {
      const { runDir } = resolveStore(flags);
      await loadDemo().main(runDir);
    });
}
