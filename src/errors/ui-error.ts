import { ConsistError } from './consist-error';

/** Codes of {@link UiError}. */
export type UiErrorCode = 'UI_SQL_NOT_READ_ONLY' | 'UI_BAD_REQUEST' | 'UI_NOT_FOUND' | 'UI_PORT_IN_USE' | 'UI_HOST_REFUSED' | 'UI_LISTEN_FAILED';

/** A problem of `consist ui`, its JSON API, or the read-only query services behind them. */
export class UiError extends ConsistError<UiErrorCode> {
  constructor(readonly code: UiErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  /** The SQL box (and `/api/sql`) runs one SELECT statement only. */
  static sqlNotReadOnly(why: string): UiError {
    return new UiError('UI_SQL_NOT_READ_ONLY',
      `Only one read-only SELECT (or WITH … SELECT) statement is allowed here: ${why}. Use \`consist query\` for anything else.`);
  }

  /** A query parameter or path segment the API cannot use. */
  static badRequest(what: string, expected: string): UiError {
    return new UiError('UI_BAD_REQUEST', `Bad request: ${what} must be ${expected}.`, { details: { what } });
  }

  /** No API route or file at this path. */
  static notFound(urlPath: string): UiError {
    return new UiError('UI_NOT_FOUND', `Nothing at '${urlPath.slice(0, 200)}'. The API lives under /api/ (see docs/ui.md).`, { details: { path: urlPath.slice(0, 300) } });
  }

  /** Another process listens on the port. */
  static portInUse(host: string, port: number): UiError {
    return new UiError('UI_PORT_IN_USE', `Port ${port} on ${host} is in use. Pass another --port, or --port 0 for any free port.`, { details: { host, port } });
  }

  /** The server could not listen for another reason. */
  static listenFailed(host: string, port: number, cause: unknown): UiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new UiError('UI_LISTEN_FAILED', `Cannot listen on ${host}:${port}: ${why}`, { details: { host, port }, cause });
  }

  /** A request whose Host header names a non-local host (DNS rebinding guard). */
  static hostRefused(host: string): UiError {
    return new UiError('UI_HOST_REFUSED',
      `Host '${host.slice(0, 100)}' is not allowed: the UI answers only requests to 127.0.0.1, localhost or [::1].`, { details: { host: host.slice(0, 200) } });
  }
}
