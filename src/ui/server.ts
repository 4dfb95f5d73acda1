import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UiError } from '../errors';
import type { QuerySource } from '../queries/query-source';
import { JournalRuns } from '../queries/journal-runs';
import { matchApi } from './api-routes';
import { sendBytes, sendError, sendJson } from './http-response';
import { defaultStaticDir, serveStatic } from './static-files';

/** Hosts the server may bind to: loopback only. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** Options of {@link startUiServer}. */
export interface UiServerOptions {
  /** What the API reads through (an open Tracker). */
  source: QuerySource;
  /** Default 0: any free port. */
  port?: number;
  /** A loopback address; default `127.0.0.1`. */
  host?: string;
  /** The bundled page; default `dist/ui/static`. */
  staticDir?: string;
  /**
   * The runs folder: while the database is locked by another process (`DB_LOCKED`), `/api/runs`
   * and `/api/version` answer from its snapshots (`source: 'journal'`). Default: none (503).
   */
  runDir?: string;
}

/** The options of a started server, defaults applied. */
interface ServerContext { opts: Required<Omit<UiServerOptions, 'runDir'>>; journal?: JournalRuns }

/** A running UI server. */
export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** True when the Host header names this server on a loopback name (guards against DNS rebinding). */
export function isLocalHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const m = /^(\[::1\]|127\.0\.0\.1|localhost)(?::(\d+))?$/i.exec(hostHeader.trim());
  return Boolean(m) && (m?.[2] === undefined ? port === 80 : Number(m?.[2]) === port);
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, port: number): Promise<void> {
  const { opts } = ctx;
  if (!isLocalHost(req.headers.host, port)) return sendError(res, UiError.hostRefused(String(req.headers.host ?? '')));
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return isApi ? sendJson(res, 405, { error: { code: 'UI_BAD_REQUEST', message: 'The API is read-only: use GET.' } }, { allow: 'GET' })
      : sendBytes(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
  }
  if (!isApi) return serveStatic(res, opts.staticDir, url.pathname);
  const route = matchApi(url.pathname);
  if (!route) throw UiError.notFound(url.pathname);
  sendJson(res, 200, await route.handler(opts.source, route.match, url.searchParams, ctx.journal));
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? UiError.portInUse(host, port) : UiError.listenFailed(host, port, err));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts the UI's HTTP server on a loopback address: the JSON API under `/api/` (docs/ui.md) and
 * the bundled page. Requests whose `Host` is not local are refused (403); errors are JSON
 * `{ error: { code, message } }` with a status from the error's code. `UI_PORT_IN_USE` when
 * the port is taken.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host)) throw UiError.badRequest('--host', `a loopback address (${LOOPBACK_HOSTS.join(', ')})`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw UiError.badRequest('--port', 'an integer 0…65535');
  const ctx: ServerContext = {
    opts: { source: options.source, port, host, staticDir: options.staticDir ?? defaultStaticDir() },
    journal: options.runDir ? new JournalRuns(options.runDir) : undefined,
  };
  let bound = port;
  const server = createServer((req, res) => {
    handle(req, res, ctx, bound).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });
  bound = await listen(server, port, host);
  const shown = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shown}:${bound}/`,
    port: bound,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
