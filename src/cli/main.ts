#!/usr/bin/env node
import { buildProgram } from './program';
import { EXIT, reportError } from './report-error';

/**
 * Runs the `consist` CLI with `argv` (as in `process.argv`) and resolves to the exit code.
 * Errors become one line `error [CODE]: message` on stderr (stack traces with `--verbose`).
 */
export async function runCli(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportError(err, argv.includes('--verbose'));
  }
}

if (require.main === module) {
  process.once('SIGINT', () => process.exit(EXIT.interrupted));
  void runCli().then((code) => {
    process.exitCode = code;
  });
}
