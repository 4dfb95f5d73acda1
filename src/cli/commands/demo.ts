import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { resolveStore, type StoreFlags } from '../config';
import { addStoreOptions } from '../context';

interface DemoModule { runDemo(options: { runDir: string }): Promise<unknown> }

function loadDemo(): DemoModule {
  try {
    // Lazy and untyped on purpose: the demo module is optional and pulls in the whole runtime.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../demo/run-demo') as DemoModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /run-demo/.test((err as Error).message)) {
      throw CliError.unavailable('consist demo', 'src/demo/run-demo is not built');
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
      await loadDemo().runDemo({ runDir });
    });
}
