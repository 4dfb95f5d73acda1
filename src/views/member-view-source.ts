import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { Vector, Table } from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { writeParquet } from '../engine/arrow-bridge';
import type { DataEngine } from '../engine/data-engine';
import { ConfigurationError, FormatError } from '../errors';
import type { FormatLoader } from '../formats/format-loader';
import { H5Store } from '../formats/h5/h5-store';
import { OmxFile } from '../formats/h5/omx-file';
import { omxToLongTable } from '../formats/h5/omx-long';
import { sha256Hex } from '../identity/hash';
import { pathExists } from '../util/fs';
import { fileSelectSql, unionSql } from './view-sql';
import { quoteLiteral } from '../provenance/sql';
import type { FormatArtifactFile, FormatArtifactFinder } from './format-artifacts';
import { HYBRID_PART, type ViewSource } from './hybrid-view';

/**
 * Options of `tracker.createView(name, key, options)` for format artifacts logged under `key`
 * (API.md §12): OMX files become a long table `origin, destination, <matrix>…`; HDF5 files give the
 * pandas table `member`.
 */
export interface MemberViewOptions {
  /** HDF5 (`h5`) artifacts: the pandas table key (`persons`, `households/initialize`). Without it, HDF5 artifacts are not in the view. */
  member?: string;
  /** OMX: the lookup whose values label origins and destinations. Default: the file's only numeric lookup, else 1-based zone numbers. */
  lookup?: string;
  /** OMX: the matrices to include as columns (default: all). */
  matrices?: string[];
}

/** Checks {@link MemberViewOptions} before anything is registered. @throws ConfigurationError `CONFIGURATION_INVALID`. @internal */
export function assertMemberViewOptions(o: unknown): asserts o is MemberViewOptions | undefined {
  if (o === undefined) return;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw ConfigurationError.invalidOption('options', o, 'an object ({ member?, lookup?, matrices? })');
  const { member, lookup, matrices } = o as Record<string, unknown>;
  if (member !== undefined && (typeof member !== 'string' || !member)) throw ConfigurationError.invalidOption('member', member, 'a pandas table key');
  if (lookup !== undefined && (typeof lookup !== 'string' || !lookup)) throw ConfigurationError.invalidOption('lookup', lookup, 'an OMX lookup name');
  if (matrices !== undefined && (!Array.isArray(matrices) || !matrices.length || matrices.some((m) => typeof m !== 'string' || !m))) {
    throw ConfigurationError.invalidOption('matrices', matrices, 'a non-empty array of OMX matrix names');
  }
}

/** The labels of an OMX long table: the chosen numeric lookup, else `undefined` (1-based numbering). */
function omxLookup(omx: OmxFile, wanted: string | undefined, label: string): string | undefined {
  if (wanted !== undefined) {
    if (!(wanted in omx.lookups)) throw FormatError.memberNotFound(label, `lookup/${wanted}`, Object.keys(omx.lookups));
    return wanted;
  }
  const numeric = Object.keys(omx.lookups).filter((k) => omx.lookups[k].length === omx.shape[0] && typeof omx.lookups[k][0] !== 'string');
  return numeric.length === 1 ? numeric[0] : undefined;
}

/** An OMX file as its long table; zone numbers are 1-based when no lookup labels them. */
function omxLong(omx: OmxFile, options: MemberViewOptions, label: string): Table {
  for (const m of options.matrices ?? []) if (!omx.matrices.includes(m)) throw FormatError.memberNotFound(label, `data/${m}`, omx.matrices);
  const lookup = omxLookup(omx, options.lookup, label);
  const long = omxToLongTable(omx, { lookup, matrices: options.matrices });
  if (lookup !== undefined) return long;
  const cols: Record<string, Vector> = {};
  for (const f of long.schema.fields) {
    const v = long.getChild(f.name)!;
    cols[f.name] = f.name === 'origin' || f.name === 'destination' ? Arrow.makeVector((v.toArray() as Int32Array).map((x) => x + 1)) : v;
  }
  return new Arrow.Table(cols);
}

/** Collaborators of a {@link MemberViewSource}. @internal */
export interface MemberViewDeps {
  finder: FormatArtifactFinder;
  formats: FormatLoader;
  engine: DataEngine;
  /** Where materialised members are cached (`<runDir>/.consist/cache/tables`). */
  cacheDir: string;
}

/**
 * OMX and pandas-HDF5 artifacts of one key, read by a view through Parquet (DuckDB cannot read
 * HDF5): each artifact's long table / pandas member is written once to
 * `<cacheDir>/<sha256 of (content hash, member, options)>.parquet` (atomically), then read cold like
 * any Parquet artifact, with the artifact's provenance columns. @internal
 */
export class MemberViewSource implements ViewSource {
  constructor(private readonly deps: MemberViewDeps, private readonly key: string, private readonly options: MemberViewOptions = {}) {}

  async parts(view: { name: string; hotTable: string }): Promise<string[]> {
    const drivers = this.options.member === undefined ? ['omx'] : ['omx', 'h5'];
    const parts: string[] = [];
    for (const a of await this.deps.finder.find({ drivers, key: this.key, notIngestedInto: view.hotTable }, view.name)) {
      const path = await this.materialised(a);
      parts.push(fileSelectSql(`read_parquet(${quoteLiteral(path)})`, { ...a, path }, HYBRID_PART));
    }
    return parts.length ? [unionSql(parts)] : [];
  }

  private async materialised(a: FormatArtifactFile): Promise<string> {
    const id = sha256Hex(JSON.stringify([a.hash ?? a.artifactId, a.driver, this.options.member ?? null, this.options.lookup ?? null, this.options.matrices ?? null]));
    const target = nodePath.join(this.deps.cacheDir, `${id}.parquet`);
    if (await pathExists(target)) return target;
    const handle = await this.deps.formats.open(a.path, a.driver, a.uri);
    try {
      const table = handle instanceof OmxFile ? omxLong(handle, this.options, a.uri)
        : handle instanceof H5Store ? await handle.table(this.options.member!) : undefined;
      if (!table) throw FormatError.unsupportedLayout(a.uri, '/', `a ${a.driver} artifact as a table`);
      await fs.mkdir(this.deps.cacheDir, { recursive: true });
      await this.deps.engine.use((conn) => writeParquet(conn, table, target, { compression: this.deps.engine.parquetCompression }));
    } finally {
      (handle as { close?: () => void }).close?.();
    }
    return target;
  }
}
