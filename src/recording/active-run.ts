import * as os from 'node:os';
import type { Artifact, ArtifactDirection, Run, RunKind, RunSnapshot, SnapshotArtifact } from '../model';
import { SNAPSHOT_VERSION } from '../model';
import type { Logger } from '../util/logger';
import { runStartIso } from '../util/time';
import { warnIfFacetUnindexed } from '../provenance/facet-guard';

/** Run fields a caller chooses when a run begins. */
export interface RunInit {
  id: string;
  kind: RunKind;
  name: string;
  model?: string | null;
  parentRunId?: string | null;
  year?: number | null;
  iteration?: number | null;
  tags?: readonly string[];
  facet?: Record<string, unknown> | null;
  config?: unknown;
  meta?: Record<string, unknown>;
}

/**
 * The in-memory state of one run between begin and end: the {@link Run} draft and the artifacts
 * it read and wrote. Produces the snapshot that is persisted.
 */
export class ActiveRun {
  readonly run: Run;
  private readonly links = new Map<string, SnapshotArtifact>();

  constructor(init: RunInit, private readonly logger: Logger) {
    this.run = {
      id: init.id, kind: init.kind, name: init.name, model: init.model ?? null,
      parentRunId: init.parentRunId ?? null, status: 'running', year: init.year ?? null,
      iteration: init.iteration ?? null, tags: [...(init.tags ?? [])], facet: init.facet ?? null,
      config: init.config ?? null, signature: null, codeHash: null, configHash: null, inputHash: null,
      cacheHit: false, reusedRunId: null, meta: { pid: process.pid, host: os.hostname(), ...(init.meta ?? {}) },
      error: null, startedAt: runStartIso(), endedAt: null, durationMs: null,
    };
    warnIfFacetUnindexed(this.run.facet, `run '${init.id}'`, logger);
  }

  get id(): string {
    return this.run.id;
  }

  /**
   * Links an artifact under `key`. An artifact already linked as an input and then logged as an
   * output keeps one link, as input (with a warning), so lineage never shows a run feeding itself.
   */
  link(artifact: Artifact, key: string, direction: ArtifactDirection): void {
    const existing = [...this.links.values()].find((l) => l.artifact.id === artifact.id);
    if (existing && existing.direction !== direction) {
      this.logger.warn(`Artifact '${key}' is already an input of run ${this.run.id}; keeping it as an input.`);
      return;
    }
    const { path: _path, ...record } = artifact;
    this.links.set(`${direction}:${key}`, { direction, key, artifact: record });
  }

  /** The artifacts linked so far, in link order. */
  linked(direction?: ArtifactDirection): SnapshotArtifact[] {
    return [...this.links.values()].filter((l) => !direction || l.direction === direction);
  }

  /** Marks the run ended with `status`; records the error of a failed run. */
  finish(status: 'completed' | 'failed', error?: unknown, extra: Partial<Run['error']> = {}): void {
    // A start bumped past the clock (runStartIso) must not give a negative duration.
    const ended = new Date(Math.max(Date.now(), Date.parse(this.run.startedAt)));
    this.run.status = status;
    this.run.endedAt = ended.toISOString();
    this.run.durationMs = ended.getTime() - Date.parse(this.run.startedAt);
    if (status === 'failed') {
      const e = error instanceof Error ? error : new Error(String(error));
      const code = (e as { code?: unknown }).code;
      this.run.error = { message: e.message, name: e.name, ...(typeof code === 'string' ? { code } : {}), ...extra };
    }
  }

  snapshot(): RunSnapshot {
    return { version: SNAPSHOT_VERSION, run: structuredClone(this.run), artifacts: this.linked() };
  }
}
