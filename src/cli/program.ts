import { Command } from 'commander';
import { registerArtifactsCommand } from './commands/artifacts';
import { registerDbCommand } from './commands/db';
import { registerDiffCommand } from './commands/diff';
import { registerDemoCommand } from './commands/demo';
import { registerExplainCommand } from './commands/explain';
import { registerExportCommand } from './commands/export';
import { registerLineageCommand } from './commands/lineage';
import { registerQueryCommand } from './commands/query';
import { registerRunsCommand } from './commands/runs';
import { registerSchemaCommand } from './commands/schema';
import { registerShowCommand } from './commands/show';
import { registerUiCommand } from './commands/ui';
import { registerViewsCommand } from './commands/views';
import { registerMapCommand } from './commands/map';
import { registerWorkerCommand } from './commands/worker';
import { formatCommanderError } from './report-error';

/** The package version, read lazily from package.json next to `dist/`. */
function packageVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the `consist` command tree. Commands are thin over the Tracker and the maintenance
 * functions, which they load only when they run (so `--help` does not load DuckDB).
 */
export function buildProgram(): Command {
  const program = new Command('consist')
    .description('Provenance, caching and data virtualization for simulation workflows')
    .version(packageVersion(), '-V, --version')
    .configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) })
    .exitOverride();
  registerRunsCommand(program);
  registerShowCommand(program);
  registerArtifactsCommand(program);
  registerLineageCommand(program);
  registerExplainCommand(program);
  registerDiffCommand(program);
  registerQueryCommand(program);
  registerViewsCommand(program);
  registerSchemaCommand(program);
  registerDbCommand(program);
  registerDemoCommand(program);
  registerMapCommand(program);
  registerWorkerCommand(program);
  registerUiCommand(program);
  registerExportCommand(program);
  return program;
}
