import { createHash } from 'node:crypto';
import { promises as fs, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Run, RunSnapshot } from '../model';
import { FilesystemError } from '../errors';
import { touchMarker } from '../util/fs';

/** The keys completed runs are indexed by on disk: signature, step name, and the URIs of what they produced. */
export type RunIndexKind = 'signature' | 'name' | 'produced';

/** What {@link RunIndex.record} reads of a snapshot. */
export interface IndexedSnapshot {
  run: Pick<Run, 'id' | 'startedAt' | 'status' | 'signature' | 'name' | 'cacheHit'>;
  artifacts: ReadonlyArray<Pick<RunSnapshot['artifacts'][number], 'direction'> & { artifact: { uri: string; runId: string | null } }>;
}

/** An index entry: the run id and the marker file that names it. */
export interface RunIndexEntry { runId: string; marker: string }

/** Digits of the zero-padded epoch-millisecond prefix of a marker name (sortable until year 33658). */
const TIME_DIGITS = 15;
const MARKER = /^(\d{15})_(.+)$/;
/** A key used as a folder name as is; anything else is hashed (`~<sha256 prefix>`, never a safe key). */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** The folder name of an index key. @internal */
export function indexSegment(key: string): string {
  return SAFE_KEY.test(key) ? key : `~${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** The marker file name of a run: `<startedAt epoch ms, 15 digits>_<runId>`; sorts by start time, then id. @internal */
export function markerName(run: Pick<Run, 'id' | 'startedAt'>): string {
  const ms = Date.parse(run.startedAt);
  return `${String(Number.isFinite(ms) ? Math.max(0, ms) : 0).padStart(TIME_DIGITS, '0')}_${run.id}`;
}

/**
 * A filesystem index of completed runs that executed (not cache hits) next to the snapshots, so the
 * step path (cache lookups, input auto-links) needs no database in any lock mode:
 * `<runDir>/.consist/index/signature/<signature>/<marker>`,
 * `<runDir>/.consist/index/name/<step name>/<marker>` and, per output the run produced,
 * `<runDir>/.consist/index/produced/<uri>/<marker>` (keys hashed unless safe), where each marker is an empty file named
 * {@link markerName}. Creating an empty file is atomic (it exists or not), and the index is derived
 * data: an entry is written after the run's completed snapshot, a missing entry only costs a cache
 * miss, and an entry whose snapshot is gone is skipped. `consist db rebuild` and every re-sync of
 * pending snapshots re-create entries.
 */
export class RunIndex {
  readonly dir: string;

  constructor(readonly runDir: string) {
    this.dir = path.join(runDir, '.consist', 'index');
  }

  /** The folder holding the markers of one key. */
  folder(kind: RunIndexKind, key: string): string {
    return path.join(this.dir, kind, indexSegment(key));
  }

  /**
   * Indexes a completed run that executed under its signature (if any), its name and the URI of
   * every output it produced. Idempotent; other statuses and cache hits are ignored: a hit adds no
   * outputs and no identity its producer does not already index (a lookup reaches the producer
   * directly), so its persist writes no marker file.
   */
  async record({ run, artifacts }: IndexedSnapshot): Promise<void> {
    if (run.status !== 'completed' || run.cacheHit) return;
    const marker = markerName(run);
    const produced = new Set(artifacts.filter((l) => l.direction === 'output' && l.artifact.runId === run.id).map((l) => l.artifact.uri));
    await FilesystemError.guard('write the run index', this.dir, () => Promise.all([
      run.signature ? touchMarker(this.folder('signature', run.signature), marker) : undefined,
      touchMarker(this.folder('name', run.name), marker),
      ...[...produced].map((uri) => touchMarker(this.folder('produced', uri), marker)),
    ]));
  }

  /** Entries under one key, newest first (start time, then run id, both descending), at most `limit`. */
  async entries(kind: RunIndexKind, key: string, limit = Number.POSITIVE_INFINITY): Promise<RunIndexEntry[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.folder(kind, key));
    } catch {
      return [];
    }
    return newestEntries(names, limit);
  }

  /**
   * {@link entries} on the calling thread, for the step path's small folders (a signature's runs,
   * the producers of one URI): one `readdir` of a few names costs less than the thread-pool round
   * trip of the asynchronous one, and a missing folder (a raw input no run produced) is one failed
   * `open`. Not for `name` folders, which grow with every run of a step.
   */
  entriesNow(kind: Exclude<RunIndexKind, 'name'>, key: string, limit = Number.POSITIVE_INFINITY): RunIndexEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.folder(kind, key));
    } catch {
      return [];
    }
    return newestEntries(names, limit);
  }

  /** Removes an entry whose run is gone (best effort). */
  async forget(kind: RunIndexKind, key: string, entry: RunIndexEntry): Promise<void> {
    await fs.rm(path.join(this.folder(kind, key), entry.marker), { force: true }).catch(() => undefined);
  }
}

/** Marker names as entries, newest first (start time, then run id, both descending), at most `limit`; other names skipped. */
function newestEntries(names: string[], limit: number): RunIndexEntry[] {
  const out: RunIndexEntry[] = [];
  for (const marker of names.sort().reverse()) {
    const m = MARKER.exec(marker);
    if (!m) continue;
    out.push({ runId: m[2], marker });
    if (out.length >= limit) break;
  }
  return out;
}
