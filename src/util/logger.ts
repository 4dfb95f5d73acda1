/** Where the library reports warnings and progress. Pass your own to `Tracker.open({ logger })`. */
export interface Logger {
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** The default logger: warnings to stderr prefixed with `[consist]`; info and debug only with `CONSIST_DEBUG`. */
export const consoleLogger: Logger = {
  warn: (m) => process.stderr.write(`[consist] warning: ${m}\n`),
  info: (m) => {
    if (process.env.CONSIST_DEBUG) process.stderr.write(`[consist] ${m}\n`);
  },
  debug: (m) => {
    if (process.env.CONSIST_DEBUG) process.stderr.write(`[consist] debug: ${m}\n`);
  },
};

/** A logger that drops everything. */
export const silentLogger: Logger = { warn: () => undefined, info: () => undefined, debug: () => undefined };
