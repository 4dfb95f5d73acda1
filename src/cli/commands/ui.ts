import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import type { StoreFlags } from '../config';
import { addStoreOptions, parseCount, requireStore } from '../context';
import { print } from '../format';

interface UiFlags extends StoreFlags { port: number; host: string; open?: boolean }

/** How long a request waits for a writer's lock before answering 503 `DB_LOCKED` (or the journal's runs list). */
const UI_LOCK_WAIT_MS = 1500;

/** Opens the URL in the desktop's browser, best effort (no error when there is none). */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => print(`(could not start ${cmd}; open ${url} yourself)`));
    child.unref();
  } catch {
    print(`(could not start ${cmd}; open ${url} yourself)`);
  }
}

/**
 * `consist ui`: serves the runs, lineage and data of a runs folder as a local web page (docs/ui.md).
 * The database is opened read-only (`Tracker.open({ readOnly })`): `access_mode=READ_ONLY` for each
 * request only, never written, so a sweep writing in shared mode keeps running beside it and new
 * runs appear on the page. While a writer holds the file (exclusive mode), the runs list is read
 * from the run folders' snapshots and the other API routes answer 503 `DB_LOCKED`.
 */
export function registerUiCommand(program: Command): void {
  addStoreOptions(program.command('ui')
    .description('serve a local web page of runs, lineage and data (127.0.0.1 only)')
    .option('--port <n>', 'port to listen on (0: any free port)', parseCount, 0)
    .addOption(new Option('--host <host>', 'loopback address to bind').choices(['127.0.0.1', 'localhost', '::1']).default('127.0.0.1'))
    .option('--open', "open the page in the desktop's browser"))
    .action(async (flags: UiFlags) => {
      const store = requireStore(flags);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('reflect-metadata');
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Tracker } = require('../../tracker/tracker') as typeof import('../../tracker/tracker');
      const { startUiServer } = require('../../ui/server') as typeof import('../../ui/server');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const tracker = await Tracker.open({
        runDir: store.runDir, dbPath: store.dbPath, mounts: store.mounts, readOnly: true, lockTimeoutMs: Math.min(store.lockTimeoutMs, UI_LOCK_WAIT_MS),
      });
      let server: Awaited<ReturnType<typeof startUiServer>>;
      try {
        server = await startUiServer({ source: tracker, port: flags.port, host: flags.host, runDir: store.runDir });
      } catch (err) {
        await tracker.close();
        throw err;
      }
      print(`consist ui: serving ${store.runDir} at ${server.url}  (Ctrl-C to stop)`);
      if (flags.open) openBrowser(server.url);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await server.close();
      await tracker.close();
    });
}
