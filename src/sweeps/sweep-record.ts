import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readJsonIfAny, writeJsonAtomic } from './job-file';

/** State of one item in `status.json`. */
export type ItemState = 'pending' | 'hit' | 'queued' | 'running' | 'done' | 'failed' | 'duplicate';

/** One item's line in `status.json`. */
export interface ItemStatus {
  index: number;
  state: ItemState;
  jobId?: string | null;
  runId?: string | null;
  exitCode?: number | null;
  reason?: string;
  /** The step's error (`CODE: message`), when known. */
  error?: string;
  /** Index of the identical item that executes for this one. */
  sameAs?: number;
}

/** `sweep.json`: what was asked. */
export interface SweepInfo {
  id: string;
  step: string;
  module: string | null;
  exportName: string | null;
  executor: string;
  items: number;
  createdAt: string;
  pid: number;
}

/** `status.json`: where each item is, rewritten on every change. */
export interface SweepStatus { updatedAt: string; finished: boolean; items: ItemStatus[] }

/** Folder of all sweeps of a runs folder. */
export const sweepsRoot = (runDir: string): string => path.join(runDir, '.consist', 'sweeps');

/** A new sweep id: `sweep-<utc time>-<random>`. */
export function newSweepId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `sweep-${t}-${randomBytes(3).toString('hex')}`;
}

/** One sweep's folder: `sweep.json`, `status.json`, `items/<i>/{job.json,result.json,stdout.log,stderr.log}`. */
export class SweepRecord {
  readonly dir: string;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(runDir: string, readonly info: SweepInfo, readonly status: SweepStatus) {
    this.dir = path.join(sweepsRoot(runDir), info.id);
  }

  static async create(runDir: string, info: SweepInfo): Promise<SweepRecord> {
    const record = new SweepRecord(runDir, info, {
      updatedAt: info.createdAt, finished: false,
      items: Array.from({ length: info.items }, (_, index) => ({ index, state: 'pending' as ItemState })),
    });
    await fs.mkdir(record.dir, { recursive: true });
    await writeJsonAtomic(path.join(record.dir, 'sweep.json'), info);
    await record.write();
    return record;
  }

  /** Reads a sweep back (for `consist map status`); undefined when absent. */
  static async read(runDir: string, id: string): Promise<SweepRecord | undefined> {
    const dir = path.join(sweepsRoot(runDir), id);
    const info = await readJsonIfAny<SweepInfo>(path.join(dir, 'sweep.json'));
    const status = await readJsonIfAny<SweepStatus>(path.join(dir, 'status.json'));
    return info && status ? new SweepRecord(runDir, info, status) : undefined;
  }

  itemDir(index: number): string {
    return path.join(this.dir, 'items', String(index));
  }

  /** Updates one item and schedules a rewrite of `status.json` (coalesced). */
  set(index: number, patch: Partial<ItemStatus>): void {
    Object.assign(this.status.items[index], patch);
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing.then(() => { this.dirty = false; return this.write(); }).catch(() => undefined);
  }

  /** Writes `status.json` now (after queued writes). */
  async flush(finished = this.status.finished): Promise<void> {
    await this.writing;
    this.status.finished = finished;
    await this.write();
  }

  private async write(): Promise<void> {
    this.status.updatedAt = new Date().toISOString();
    await writeJsonAtomic(path.join(this.dir, 'status.json'), this.status);
  }
}
