import { ConsistError } from '../errors';

/** Codes of {@link CliError}. */
export type CliErrorCode = 'CLI_USAGE' | 'CLI_NO_DATABASE' | 'CLI_CONFIG_INVALID' | 'CLI_CONFIRMATION_REQUIRED' | 'CLI_UNAVAILABLE';

/** A problem of the `consist` command line itself: bad flags, no database, a bad config file. */
export class CliError extends ConsistError<CliErrorCode> {
  constructor(readonly code: CliErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { details });
  }

  /** No provenance database where the flags, config file or defaults point. */
  static noDatabase(dbPath: string, hasSnapshots: boolean): CliError {
    const hint = hasSnapshots
      ? 'The runs folder has snapshots: build the database with `consist db rebuild`.'
      : 'Pass --db <path> or --run-dir <dir>, or set them in ./consist.config.json.';
    return new CliError('CLI_NO_DATABASE', `No consist database at '${dbPath}'. ${hint}`, { dbPath });
  }

  static invalidConfig(file: string, why: string): CliError {
    return new CliError('CLI_CONFIG_INVALID', `Config file '${file}' is invalid: ${why}.`, { file });
  }

  static usage(message: string): CliError {
    return new CliError('CLI_USAGE', message);
  }

  static confirmationRequired(what: string): CliError {
    return new CliError('CLI_CONFIRMATION_REQUIRED', `${what} deletes data; pass --yes to confirm (or --dry-run to preview).`);
  }

  static unavailable(what: string, why: string): CliError {
    return new CliError('CLI_UNAVAILABLE', `${what} is not available in this build: ${why}.`);
  }
}
