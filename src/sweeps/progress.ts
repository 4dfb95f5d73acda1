/** Counts of a running sweep, given to `onProgress` after every change. */
export interface SweepProgress {
  sweepId: string;
  total: number;
  /** Items with a result (hits and executed runs), failures excluded. */
  done: number;
  hits: number;
  running: number;
  failed: number;
  elapsedMs: number;
  /** Estimated time left, from the pace of finished items; null until one finished. */
  etaMs: number | null;
}

const fmt = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** Keeps the counts, calls `onProgress`, and draws a one-line bar on a TTY stderr. */
export class ProgressReporter {
  readonly p: SweepProgress;
  private readonly start = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(sweepId: string, total: number, private readonly onProgress?: (p: SweepProgress) => void) {
    this.p = { sweepId, total, done: 0, hits: 0, running: 0, failed: 0, elapsedMs: 0, etaMs: null };
    this.tty = Boolean(process.stderr.isTTY) && !process.env.CI && onProgress === undefined;
  }

  update(change: Partial<Record<'done' | 'hits' | 'running' | 'failed', number>>): void {
    for (const [k, v] of Object.entries(change)) this.p[k as 'done'] += v ?? 0;
    this.p.elapsedMs = Date.now() - this.start;
    const finished = this.p.done + this.p.failed;
    const executed = finished - this.p.hits;
    const left = this.p.total - finished;
    this.p.etaMs = executed > 0 ? Math.round((this.p.elapsedMs / executed) * left) : finished === this.p.total ? 0 : null;
    try { this.onProgress?.({ ...this.p }); } catch { /* a broken callback never stops a sweep */ }
    this.draw(finished === this.p.total);
  }

  private draw(final: boolean): void {
    if (!this.tty || (!final && Date.now() - this.lastDraw < 100)) return;
    this.lastDraw = Date.now();
    const { total, done, hits, running, failed, etaMs } = this.p;
    const width = 24;
    const filled = Math.round(((done + failed) / Math.max(1, total)) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const eta = etaMs === null ? '' : final ? ` in ${fmt(this.p.elapsedMs)}` : ` ETA ${fmt(etaMs)}`;
    process.stderr.write(`\r${bar} ${done + failed}/${total} done (${hits} hits) · ${running} running · ${failed} failed${eta}\x1b[K${final ? '\n' : ''}`);
  }
}
