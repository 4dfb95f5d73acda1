import type { BigIntStats } from 'node:fs';
import type { Artifact, ArtifactDirection, ArtifactDriver, RunSnapshot } from '../model';
import { ArtifactError } from '../errors';
import { hashPath, type HashingMode } from '../identity/hash';
import type { ProgressHook } from '../util/progress';
import type { ProducedAtLookup } from '../journal/produced-index';
import type { Logger } from '../util/logger';
import { isoNow } from '../util/time';
import { newArtifactId } from '../util/ids';
import { compileTable } from '../metadata/compile-table';
import { inferDriver } from './drivers';
import { formatContentHash, profileFormat, sniffFormat } from '../formats';
import { readable, statReadable, type ReadableStat } from './file-kind';
import { assertArtifactKey, keyFromPath } from '../model/artifact-key';
import type { UriResolver } from './uri';
import type { FacetParsers } from './facet-parsers';
import { warnIfFacetUnindexed } from '../provenance/facet-guard';

export type { HashingMode } from '../identity/hash';

/** Options of `tracker.logArtifact` (API.md §3). */
export interface LogArtifactOptions {
  key?: string;
  direction?: ArtifactDirection;
  driver?: ArtifactDriver;
  /** Observed schema id (set by `schema`/`profileSchema` handling in the data plane). */
  schemaId?: string;
  /** A `@Table` class the file follows: the artifact's `schemaId` becomes that table's schema id. */
  schema?: Function;
  /** Record the observed schema of a Parquet/CSV file (DuckDB `DESCRIBE`) and use its id as `schemaId`. */
  profileSchema?: boolean;
  /** Queryable metadata, flattened into `artifact_kv`. */
  facet?: Record<string, unknown>;
  facetNamespace?: string;
  /** A known content hash: used instead of hashing the bytes (see `validateContentHash`). */
  contentHash?: string;
  /** Apply `contentHash` even to an input that reuses a produced artifact with another hash. */
  forceHashOverride?: boolean;
  /** Hash the bytes anyway and fail with `ARTIFACT_HASH_MISMATCH` when they differ from `contentHash`. */
  validateContentHash?: boolean;
  meta?: Record<string, unknown>;
}

/** What a caller already looked up at a URI (see {@link ArtifactStore.describeInputs}); undefined = look it up. */
export interface KnownAtUri {
  produced?: ArtifactRecord | null;
  /** The path's stat, read by the caller just before (nanosecond times). */
  stat?: BigIntStats;
}

/** A stored artifact record (no local path). */
export type ArtifactRecord = Omit<Artifact, 'path'>;

/**
 * Turns local files into artifact records: key validation, URI virtualization, driver inference,
 * content hashing and auto-linking of inputs to the run that produced them.
 */
export class ArtifactStore {
  private facetParsers: FacetParsers | undefined;
  private progress: { onProgress: ProgressHook } | undefined;

  constructor(
    readonly uris: UriResolver,
    readonly hashing: HashingMode,
    /** Where inputs find the run that produced them (the on-disk index, in every lock mode). */
    private readonly producedAt: ProducedAtLookup,
    private readonly logger: Logger,
  ) {}

  /** Derive facets of newly described artifacts from their keys (`Tracker.open({ artifactFacetParsers })`). */
  useFacetParsers(parsers: FacetParsers): void {
    this.facetParsers = parsers;
  }

  /** Report `hash` progress of big inputs (≥ 64 MiB) to `onProgress` (`Tracker.open({ onProgress })`). */
  useProgress(onProgress: ProgressHook): void {
    this.progress = { onProgress };
  }

  /** The record with its machine-local path resolved through the current mounts. */
  withPath(record: ArtifactRecord): Artifact {
    return { ...record, path: this.uris.toPath(record.uri) };
  }

  /** A snapshot's outputs by key, with paths (a cache hit's or a sweep worker's result, read from the journal). */
  outputsOf(snap: RunSnapshot): Record<string, Artifact> {
    return this.linkedOf(snap, 'output');
  }

  /** A snapshot's inputs by key, with paths (the records a cache hit links again when its files are unchanged). */
  inputsOf(snap: RunSnapshot): Record<string, Artifact> {
    return this.linkedOf(snap, 'input');
  }

  private linkedOf(snap: RunSnapshot, direction: 'input' | 'output'): Record<string, Artifact> {
    const linked: Record<string, Artifact> = {};
    for (const l of snap.artifacts) if (l.direction === direction) linked[l.key] = this.withPath(l.artifact);
    return linked;
  }

  /**
   * Describes several input files at once: one DB query finds the runs that produced them, the
   * stats and hashes run concurrently. Same result as {@link describe} per input. `stat` is the
   * item's stat when the caller already read it (one stat per input on the cache-hit path).
   */
  async describeInputs(items: ReadonlyArray<{ key: string; ref: string; stat?: BigIntStats }>): Promise<Artifact[]> {
    const uris = items.map(({ ref }) => this.uris.toUri(this.uris.toPath(ref)));
    const distinct = [...new Set(uris)];
    const produced = await this.producedAt.latestProducedAtMany(distinct);
    return Promise.all(items.map(({ key, ref, stat }, i) =>
      this.describe(ref, { key, direction: 'input' }, null, { produced: produced.get(uris[i]) ?? null, stat })));
  }

  /**
   * Describes the file at `ref` (path or URI) as an artifact; never writes anything. `produced`
   * (for inputs) is the artifact a run produced at this URI when the caller already looked it up.
   */
  async describe(ref: string, options: LogArtifactOptions = {}, producerRunId: string | null = null, known: KnownAtUri = {}): Promise<Artifact> {
    const key = options.key ?? keyFromPath(ref);
    assertArtifactKey(key);
    const abs = this.uris.toPath(ref);
    const facet = this.facetParsers?.merge(key, abs, options.facet);
    const opts = facet ? { ...options, facet } : options;
    warnIfFacetUnindexed(opts.facet, `artifact '${key}'`, this.logger);
    const stat = known.stat ? readable(known.stat, ref) : await statReadable(abs, ref);
    const uri = this.uris.toUri(abs);
    if (!stat) {
      if (opts.direction === 'input') throw ArtifactError.notFound(ref);
      return this.withPath(this.pendingOutput({ key, uri, abs, runId: producerRunId }, opts));
    }
    if (opts.direction === 'input') {
      const reused = await this.reuseProduced(uri, stat, opts, known.produced);
      if (reused) return this.withPath({ ...reused, key: reused.key });
    }
    const driver = opts.driver ?? (await sniffFormat(abs, stat.isDirectory, stat.size)) ?? inferDriver(abs, stat.isDirectory);
    const format = await profileFormat(abs, driver, uri);
    const hash = await this.contentHash(abs, opts, stat, driver);
    const meta = buildMeta(opts, stat);
    if (format) meta.format = format;
    return this.withPath({
      id: newArtifactId(), key, uri, driver, hash,
      size: stat.isDirectory ? null : stat.size, runId: producerRunId, schemaId: schemaIdOption(opts),
      meta, createdAt: isoNow(),
    });
  }

  /** An output logged before its file exists (e.g. rows ingested straight into the DB): no hash yet. */
  private pendingOutput(at: { key: string; uri: string; abs: string; runId: string | null }, opts: LogArtifactOptions): ArtifactRecord {
    const { key, uri, abs, runId } = at;
    return {
      id: newArtifactId(), key, uri, driver: opts.driver ?? inferDriver(abs), hash: opts.contentHash ?? null, size: null,
      runId, schemaId: schemaIdOption(opts), meta: { ...buildMeta(opts), fileMissingAtLog: true }, createdAt: isoNow(),
    };
  }

  /**
   * Hash of a path under this store's mode, honouring `contentHash` / `validateContentHash`. HDF5/OMX
   * and Zarr (`driver`) are identified by data + attributes under `full` hashing (src/formats).
   */
  async contentHash(abs: string, opts: Pick<LogArtifactOptions, 'contentHash' | 'validateContentHash'> = {}, stat?: ReadableStat,
    driver?: string): Promise<string> {
    if (opts.contentHash && !opts.validateContentHash) return opts.contentHash;
    const actual = await this.hashOf(abs, driver, stat?.stats);
    if (opts.contentHash && opts.validateContentHash && !sameHash(opts.contentHash, actual)) {
      throw ArtifactError.hashMismatch(this.uris.toUri(abs), opts.contentHash, actual);
    }
    return actual;
  }

  /** {@link hashPath}, or the format content identity for HDF5/OMX/Zarr under `full` hashing. */
  private async hashOf(abs: string, driver: string | undefined, stats?: BigIntStats): Promise<string> {
    const byFormat = driver ? await formatContentHash(abs, driver, this.hashing, this.uris.toUri(abs)) : undefined;
    return byFormat ?? hashPath(abs, this.hashing, stats, this.progress);
  }

  /**
   * An input path that a completed run produced reuses that artifact (same id, producer, hash) —
   * but only while the file is unchanged since it was recorded (size + mtime), so edited bytes are
   * never served under a stale hash.
   */
  private async reuseProduced(uri: string, stat: ReadableStat, opts: LogArtifactOptions, known?: ArtifactRecord | null): Promise<ArtifactRecord | undefined> {
    const produced = known === undefined ? (await this.producedAt.latestProducedAtMany([uri])).get(uri) : known;
    if (!produced) return undefined;
    const recorded = produced.meta.mtimeMs;
    const unchanged = produced.size === (stat.isDirectory ? null : stat.size) && recorded === stat.mtimeMs;
    if (!unchanged) {
      const now = await this.hashOf(this.uris.toPath(uri), produced.driver, stat.stats);
      if (!sameHash(now, produced.hash ?? '')) return undefined;
    }
    if (opts.contentHash && !sameHash(opts.contentHash, produced.hash ?? '')) {
      if (!opts.forceHashOverride) {
        this.logger.warn(`Ignoring content_hash override for input '${uri}': it reuses artifact ${produced.id} ` +
          `(hash ${produced.hash}). Pass forceHashOverride: true to replace it.`);
        return produced;
      }
      return { ...produced, hash: opts.contentHash };
    }
    return produced;
  }
}

const sameHash = (a: string, b: string) => a === b || a.replace(/^sha256:/, '') === b.replace(/^sha256:/, '');

const schemaIdOption = (opts: LogArtifactOptions): string | null =>
  opts.schemaId ?? (opts.schema ? compileTable(opts.schema).schemaId : null);

function buildMeta(opts: LogArtifactOptions, stat?: ReadableStat): Record<string, unknown> {
  const meta: Record<string, unknown> = { ...(opts.meta ?? {}) };
  if (stat) meta.mtimeMs = stat.mtimeMs;
  if (opts.facet) meta.facet = opts.facet;
  if (opts.facetNamespace) meta.facetNamespace = opts.facetNamespace;
  return meta;
}
