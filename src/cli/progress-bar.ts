import type { ProgressEvent, ProgressHook } from '../util/progress';

/** Options of {@link terminalProgress}. */
export interface TerminalProgressOptions {
  /** Where to draw. Default `process.stderr`. */
  stream?: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };
  /** Off a terminal: one line per item (`--log`). Default false: nothing. */
  log?: boolean;
  /** The bar appears only once an operation has run this long. Default 1000 ms. */
  delayMs?: number;
  /** Clock (tests). Default `Date.now`. */
  now?: () => number;
}

const WIDTH = 30;

/** `rebuild [#########-----------] 45% 450/1000` */
export function renderBar(e: ProgressEvent): string {
  if (!e.total) return `${e.task} ${e.done}`;
  const f = Math.min(1, e.done / e.total);
  const filled = Math.round(f * WIDTH);
  return `${e.task} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(f * 100)).padStart(3)}% ${e.done}/${e.total}`;
}

/**
 * A {@link ProgressHook} for the CLI: on a terminal, a one-line bar redrawn in place once the task
 * has run `delayMs` (short tasks show nothing), cleared at the end; off a terminal nothing, or one
 * line per item with `log`.
 */
export function terminalProgress(options: TerminalProgressOptions = {}): ProgressHook {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 1000;
  const started = new Map<string, number>();
  let lastDraw = 0;
  return (e) => {
    if (!tty) {
      if (options.log) stream.write(`${e.task}: ${e.done}${e.total ? `/${e.total}` : ''}${e.item ? ` ${e.item}` : ''}\n`);
      return;
    }
    const t = now();
    if (!started.has(e.task)) started.set(e.task, t);
    const finished = e.total !== null && e.done >= e.total;
    if (t - (started.get(e.task) as number) < delay) return;
    if (finished) {
      stream.write('\r\x1b[2K');
      started.delete(e.task);
      return;
    }
    if (t - lastDraw < 100) return; // at most 10 redraws a second
    lastDraw = t;
    stream.write(`\r\x1b[2K${renderBar(e)}`);
  };
}
