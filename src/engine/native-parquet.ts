import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as arrow from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import { DUCKDB_OPTIONS } from '../provenance/instance-registry';
import { consoleLogger, type Logger } from '../util/logger';
import { packageRoot } from '../util/package-info';

/** What the addon (`native/arrow_parquet.c`) takes: Arrow C data interface formats and offset-0 buffers. */
interface NativeField { name: string; format: string }
interface NativeColumn { nullCount: number; validity: Uint8Array | null; data: ArrayBufferView | null; offsets: Int32Array | null }
interface NativeBatch { length: number; columns: NativeColumn[] }
/** The addon's exports (native/arrow_parquet.c). @internal */
export interface NativeModule {
  /** `onBatch` (addons built since Parquet-write progress) is told each batch's rows as DuckDB takes it. */
  copyArrow(fields: NativeField[], batches: NativeBatch[], sql: string, onBatch?: (rows: number) => void): Promise<void>;
  /** `duckdb_library_version()` of the DuckDB library loaded in this process. */
  libraryVersion(): string;
  /** True when `copyArrow` takes `onBatch`; undefined in builds older than Parquet-write progress. */
  batchProgress?: boolean;
  /** The DuckDB version the addon was compiled against (binding.gyp). */
  builtFor: string;
  /** The options its in-memory DuckDB opens with; false (nothing changed) once it is open. */
  configure(options: Record<string, string>): boolean;
}

const ADDON = path.join('native', 'build', 'Release', 'consist_arrow_parquet.node');
let loaded: NativeModule | null | undefined;


/**
 * Loads the addon at `file` and checks it before use: it must have been compiled against the
 * DuckDB library loaded now (`builtFor` = `duckdb_library_version()`; a DuckDB upgrade without a
 * rebuild breaks that), and its DuckDB opens with the library's `DUCKDB_OPTIONS`. Null with one
 * warning on `logger` when it cannot be used. @internal
 */
export function loadNativeAddon(file: string, logger: Logger = consoleLogger): NativeModule | null {
  const fallback = (why: string) => {
    logger.warn(`the native Parquet writer (${file}) ${why}; Parquet outputs use the portable writer. ` +
      'Rebuild it with `npm rebuild consist-ts` (or `npm run build:native` in a checkout), or set CONSIST_NATIVE=0 to skip it.');
    return null;
  };
  let addon: NativeModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    addon = require(file) as NativeModule;
  } catch (err) {
    return fallback(`does not load (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof addon.libraryVersion !== 'function' || typeof addon.configure !== 'function') return fallback('is from an older consist-ts');
  const loadedVersion = addon.libraryVersion();
  if (addon.builtFor !== loadedVersion) return fallback(`was built for DuckDB ${addon.builtFor}, but DuckDB ${loadedVersion} is loaded`);
  addon.configure({ ...DUCKDB_OPTIONS });
  return addon;
}

/**
 * The native Arrow → DuckDB addon, built by `npm install` (scripts/build-native.js); null when it
 * is not built (no compiler), `CONSIST_NATIVE=0`, or it fails `loadNativeAddon`'s checks (then
 * once per process, with one warning). @internal
 */
export function nativeArrowCopy(): NativeModule | null {
  if (loaded !== undefined) return loaded;
  const root = packageRoot();
  loaded = null;
  if (process.env.CONSIST_NATIVE !== '0' && root && existsSync(path.join(root, ADDON))) {
    loaded = loadNativeAddon(path.join(root, ADDON));
  }
  return loaded;
}

/** C data interface unit letters, indexed by `arrow.TimeUnit` (the Arrow format's SECOND 0 … NANO 3). */
const TIME_UNITS: readonly string[] = ['s', 'm', 'u', 'n'];

/**
 * The C data interface format of an Arrow type DuckDB's Arrow scan reads as the same DuckDB type
 * as `duckDbTypeForArrow` (so both Parquet paths write identical columns); undefined otherwise
 * (decimals, dictionaries, nulls, half floats, large strings: the portable path takes those).
 */
function formatOf(type: arrow.DataType): string | undefined {
  switch (type.typeId) {
    case Arrow.Type.Int: {
      const t = type as arrow.Int;
      const code = { 8: 'c', 16: 's', 32: 'i', 64: 'l' }[t.bitWidth];
      return code && (t.isSigned ? code : code.toUpperCase());
    }
    case Arrow.Type.Float: {
      const p = (type as arrow.Float).precision;
      return p === Arrow.Precision.SINGLE ? 'f' : p === Arrow.Precision.DOUBLE ? 'g' : undefined;
    }
    case Arrow.Type.Bool: return 'b';
    case Arrow.Type.Utf8: return 'u';
    case Arrow.Type.Date: return (type as arrow.Date_).unit === Arrow.DateUnit.DAY ? 'tdD' : 'tdm';
    case Arrow.Type.Timestamp: {
      const t = type as arrow.Timestamp;
      return `ts${TIME_UNITS[t.unit]}:${t.timezone ?? ''}`;
    }
    default: return undefined;
  }
}

/** `length` bits of `bits` starting at bit `offset`, re-packed to start at bit 0 (LSB first). */
function bitsFrom(bits: Uint8Array, offset: number, length: number): Uint8Array {
  if (offset % 8 === 0) return bits.subarray(offset / 8, offset / 8 + Math.ceil(length / 8));
  const out = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) {
    const b = offset + i;
    if ((bits[b >> 3] >> (b & 7)) & 1) out[i >> 3] |= 1 << (i & 7);
  }
  return out;
}

function columnOf(data: arrow.Data): NativeColumn {
  const nullCount = data.nullCount;
  const validity = nullCount > 0 && data.nullBitmap ? bitsFrom(data.nullBitmap, data.offset, data.length) : null;
  if (Arrow.DataType.isBool(data.type)) {
    return { nullCount, validity, data: bitsFrom(data.values as Uint8Array, data.offset, data.length), offsets: null };
  }
  if (Arrow.DataType.isUtf8(data.type)) {
    // Offsets are sliced to this Data and index the (unsliced) value bytes: no offset to apply.
    return { nullCount, validity, data: data.values as Uint8Array, offsets: data.valueOffsets as Int32Array };
  }
  return { nullCount, validity, data: data.values as ArrayBufferView, offsets: null }; // fixed width: already sliced
}

/**
 * Rows per Arrow batch handed to the addon: one DuckDB row group (a multiple of 2048 and of 8, so
 * slices of boolean and validity bitmaps stay byte-aligned and zero-copy). DuckDB's Arrow scan
 * gives each thread whole batches, so a table built as one big batch (as `arrow.makeVector` over a
 * typed array makes it) would otherwise be scanned by one thread while the other cores wait; the
 * slices also let progress move in steps.
 */
export const NATIVE_BATCH_ROWS = 122_880;

function sliced(batch: arrow.RecordBatch): arrow.RecordBatch[] {
  if (batch.numRows <= NATIVE_BATCH_ROWS) return [batch];
  const out: arrow.RecordBatch[] = [];
  for (let start = 0; start < batch.numRows; start += NATIVE_BATCH_ROWS) out.push(batch.slice(start, start + NATIVE_BATCH_ROWS));
  return out;
}

/**
 * Runs `sql` (a `COPY … TO`) with `table` as the view `consist_arrow_src`, through the native
 * addon: DuckDB's core Arrow scan over the table's buffers in place, on a worker thread, encoding
 * on every core with row order kept. Batches over {@link NATIVE_BATCH_ROWS} rows are sliced, and
 * `onRows` is told each slice's rows as DuckDB takes it (calls may arrive after this resolved).
 * Resolves false (nothing done) when the addon is missing or a column type is not one it carries;
 * the caller then uses the portable path. @internal
 */
export async function copyArrowNative(table: arrow.Table, sql: string, onRows?: (rows: number) => void): Promise<boolean> {
  const addon = nativeArrowCopy();
  if (!addon) return false;
  const fields: NativeField[] = [];
  for (const f of table.schema.fields) {
    const format = formatOf(f.type);
    if (!format) return false;
    fields.push({ name: f.name, format });
  }
  const batches = table.batches.filter((b) => b.numRows > 0).flatMap(sliced)
    .map((b): NativeBatch => ({ length: b.numRows, columns: b.data.children.map(columnOf) }));
  await (onRows && addon.batchProgress ? addon.copyArrow(fields, batches, sql, onRows) : addon.copyArrow(fields, batches, sql));
  return true;
}
