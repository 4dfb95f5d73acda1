import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';
import { sendBytes } from './http-response';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
};

/**
 * Where the bundled page lives: `dist/ui/static` next to the compiled server, or (when the server
 * runs from `src/` under ts-jest or ts-node) the built `dist/ui/static` of the checkout.
 */
export function defaultStaticDir(): string {
  const beside = path.join(__dirname, 'static');
  return existsSync(beside) ? beside : path.resolve(__dirname, '..', '..', 'dist', 'ui', 'static');
}

const notFoundPage = (what: string) =>
  `<!doctype html><meta charset="utf-8"><title>Not found</title><p>Nothing at <code>${what.replace(/[<>&"]/g, '')}</code>. <a href="/">Back to the runs</a></p>`;

/**
 * Serves a file of `dir` for a URL path: `/` is `index.html`; a path that decodes to anything
 * outside `dir` (`..`, `%2e%2e%2f`, a NUL byte) is refused with 403; a missing file is a 404 page.
 */
export async function serveStatic(res: ServerResponse, dir: string, urlPath: string): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return sendBytes(res, 400, 'text/plain; charset=utf-8', 'Bad URL encoding.');
  }
  const root = path.resolve(dir);
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (decoded.includes('\0') || decoded.includes('\\') || !file.startsWith(root + path.sep)) {
    return sendBytes(res, 403, 'text/plain; charset=utf-8', 'Forbidden: the path leaves the UI folder.');
  }
  try {
    const body = await readFile(file);
    sendBytes(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', body);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return sendBytes(res, 404, 'text/html; charset=utf-8', notFoundPage(decoded));
    throw err;
  }
}
