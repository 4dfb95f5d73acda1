import { CommanderError } from 'commander';
import { isConsistError } from '../errors';
import { colors } from './format';

/** Exit codes: 0 success, 1 runtime error, 2 usage error, 130 interrupted. */
export const EXIT = Object.freeze({ ok: 0, error: 1, usage: 2, interrupted: 130 });

/**
 * Prints a failure as one line, `error [CODE]: message`, to stderr, and returns the exit code.
 * With `verbose` the stack and the chain of causes follow.
 */
export function reportError(err: unknown, verbose: boolean): number {
  if (err instanceof CommanderError) return commanderExitCode(err);
  const code = isConsistError(err) ? err.code : 'INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${colors.red('error')} [${code}]: ${message.split('\n')[0]}\n`);
  if (verbose) {
    let e: unknown = err;
    while (e instanceof Error) {
      process.stderr.write(`${e.stack ?? e.message}\n`);
      e = e.cause;
      if (e !== undefined) process.stderr.write('caused by: ');
    }
  } else if (!isConsistError(err)) {
    process.stderr.write('  (an unexpected error; re-run with --verbose for the stack trace)\n');
  }
  return isConsistError(err) && (err.code as string) === 'CLI_USAGE' ? EXIT.usage : EXIT.error; // CLI_* codes extend ErrorCode
}

/** Commander already printed its message (see `outputError` in the program); map its exit code. */
function commanderExitCode(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
  return EXIT.usage;
}

/** Rewrites commander's `error: …` lines into the `error [CLI_USAGE]: …` form. */
export function formatCommanderError(text: string): string {
  return text.replace(/^error: /, `${colors.red('error')} [CLI_USAGE]: `);
}
