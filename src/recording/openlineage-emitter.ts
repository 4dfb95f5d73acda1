import { appendFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunSnapshot } from '../model';
import type { Logger } from '../util/logger';
import { runEvents, type OpenLineageEvent } from './openlineage-events';

/** Options of `Tracker.open({ openLineage })`: emit OpenLineage run events live. */
export interface OpenLineageOptions {
  /** JSON-lines file the events are appended to (created with its folder). */
  file: string;
  /** Job namespace. Default `consist`. */
  namespace?: string;
}

/**
 * Appends OpenLineage events as runs are persisted: `START` when a run starts (a run recorded
 * already ended, such as a cache hit, gets its `START` first), then `COMPLETE` or `FAIL`. The
 * same events `consist export openlineage` writes. A failed append is logged, never thrown: the
 * run itself is already safe in its snapshot.
 */
export class OpenLineageEmitter {
  private readonly started = new Set<string>();
  private readonly jobNames = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: OpenLineageOptions, private readonly logger: Logger) {}

  /** Called with every persisted snapshot (see `RunRecorder.observe`). */
  onSnapshot(snapshot: RunSnapshot): Promise<void> {
    const { run } = snapshot;
    this.jobNames.set(run.id, run.name);
    const pick = (d: 'input' | 'output') => snapshot.artifacts.filter((a) => a.direction === d).map((a) => a.artifact);
    const events = runEvents({ run, inputs: pick('input'), outputs: pick('output') }, { namespace: this.options.namespace ?? 'consist', jobNames: this.jobNames });
    const wanted: OpenLineageEvent[] = run.status === 'running' ? events.slice(0, 1) : this.started.has(run.id) ? events.slice(1) : events;
    if (run.status === 'running') this.started.add(run.id);
    else this.started.delete(run.id);
    const text = wanted.map((e) => `${JSON.stringify(e)}\n`).join('');
    this.queue = this.queue.then(() => this.append(text));
    return this.queue;
  }

  private async append(text: string): Promise<void> {
    try {
      await mkdir(path.dirname(path.resolve(this.options.file)), { recursive: true });
      await appendFile(this.options.file, text);
    } catch (err) {
      this.logger.warn(`OpenLineage events could not be appended to '${this.options.file}': ${(err as Error).message}`);
    }
  }
}
