import type { ServerResponse } from 'node:http';
import { isConsistError } from '../errors';

/** HTTP status of an error the API reports, by its `code`. */
export function statusOf(err: unknown): number {
  if (!isConsistError(err)) return 500;
  switch (err.code) {
    case 'RUN_NOT_FOUND': case 'ARTIFACT_NOT_FOUND': case 'UI_NOT_FOUND': return 404;
    case 'UI_HOST_REFUSED': return 403;
    case 'DB_LOCKED': return 503;
    case 'UI_BAD_REQUEST': case 'UI_SQL_NOT_READ_ONLY': case 'VIEW_SELECTION_INVALID': case 'CONFIGURATION_INVALID':
    case 'DB_QUERY_FAILED': case 'RUN_AMBIGUOUS': return 400;
    default: return 500;
  }
}

/** JSON with DuckDB values made plain (BIGINT → number or string). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = jsonText(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...SECURITY_HEADERS, ...headers });
  res.end(text);
}

/** Sends an error as `{ error: { code, message } }` with the status {@link statusOf} gives. */
export function sendError(res: ServerResponse, err: unknown): void {
  const status = statusOf(err);
  const code = isConsistError(err) ? err.code : 'INTERNAL';
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  sendJson(res, status, { error: { code, message } }, status === 503 ? { 'retry-after': '2' } : {});
}

/** Sends bytes with a content type. */
export function sendBytes(res: ServerResponse, status: number, type: string, body: Buffer | string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS });
  res.end(body);
}
