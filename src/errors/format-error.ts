import { ConsistError } from './consist-error';

/** Codes of {@link FormatError}. */
export type FormatErrorCode =
  | 'FORMAT_PACKAGE_MISSING'
  | 'FORMAT_CORRUPT'
  | 'FORMAT_CODEC_UNSUPPORTED'
  | 'FORMAT_CHUNK_MISSING'
  | 'FORMAT_MEMBER_NOT_FOUND'
  | 'FORMAT_UNSUPPORTED_LAYOUT'
  | 'ZIP_UNSAFE_ENTRY'
  | 'ZIP_TOO_LARGE'
  | 'GTFS_MISSING_FILE';

const why = (cause: unknown) => (cause instanceof Error ? cause.message.split('\n')[0] : String(cause)).slice(0, 300);

/**
 * A transport-model data file (OMX/HDF5, Zarr, GTFS zip, GeoJSON) that cannot be read as its driver
 * says: `details.file` names the file and `details.place` the dataset, chunk or zip entry.
 */
export class FormatError extends ConsistError<FormatErrorCode> {
  constructor(readonly code: FormatErrorCode, message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts);
  }

  static packageMissing(pkg: string): FormatError {
    return new FormatError('FORMAT_PACKAGE_MISSING',
      `The package '${pkg}' that reads this format is not installed; run \`npm install ${pkg}\`.`, { details: { pkg } });
  }
  /** Truncated or corrupt bytes (HDF5 that does not open, a chunk that does not decode). */
  static corrupt(file: string, place: string, cause: unknown): FormatError {
    return new FormatError('FORMAT_CORRUPT',
      `'${file}' is corrupt or truncated at ${place}: ${why(cause)}. Re-create the file or re-run its producer.`,
      { details: { file, place }, cause });
  }
  static codecUnsupported(file: string, place: string, codec: string): FormatError {
    return new FormatError('FORMAT_CODEC_UNSUPPORTED',
      `'${file}' uses codec/filter '${codec}' at ${place}, which consist-ts cannot decode ` +
        '(supported: blosc, zlib, gzip, lz4, zstd, shuffle, bytes). Re-write it with a supported codec.',
      { details: { file, place, codec } });
  }
  /** An HDF5 dataset compressed with a filter h5wasm lacks (blosc, lz4, zstd, bzip2, lzf…). */
  static h5FilterUnsupported(file: string, place: string, filter: string): FormatError {
    return new FormatError('FORMAT_CODEC_UNSUPPORTED',
      `'${file}' compresses ${place} with the HDF5 filter ${filter}, which consist-ts cannot decode (h5wasm has ` +
        'deflate/gzip, shuffle, fletcher32, nbit and scaleoffset). Repack the file with zlib: ' +
        '`ptrepack --complevel=5 --complib=zlib in.h5 out.h5` (pandas: complib="zlib"; h5py: compression="gzip").',
      { details: { file, place, codec: filter } });
  }
  static chunkMissing(file: string, place: string): FormatError {
    return new FormatError('FORMAT_CHUNK_MISSING',
      `'${file}' is missing chunk ${place}. A partly copied store reads as fill values elsewhere; ` +
        'consist-ts refuses it: copy the store again or pass { missingChunks: "fill" } to read(…).',
      { details: { file, place } });
  }
  static memberNotFound(file: string, member: string, available: readonly string[]): FormatError {
    return new FormatError('FORMAT_MEMBER_NOT_FOUND',
      `'${file}' has no '${member}'. Available: ${available.slice(0, 20).join(', ') || '(none)'}.`,
      { details: { file, place: member, available: available.slice(0, 100) } });
  }
  static unsupportedLayout(file: string, place: string, what: string): FormatError {
    return new FormatError('FORMAT_UNSUPPORTED_LAYOUT', `'${file}' at ${place}: ${what} is not supported by consist-ts yet.`,
      { details: { file, place } });
  }
  static unsafeZipEntry(file: string, entry: string): FormatError {
    return new FormatError('ZIP_UNSAFE_ENTRY',
      `'${file}' contains the unsafe entry name '${entry.slice(0, 200)}' (absolute, '..' or backslash path); ` +
        'nothing was extracted. Re-pack the zip with plain relative names.', { details: { file, place: entry.slice(0, 300) } });
  }
  static zipTooLarge(file: string, place: string, limit: string): FormatError {
    return new FormatError('ZIP_TOO_LARGE',
      `'${file}' exceeds the zip guard (${limit}) at ${place}; nothing was extracted. ` +
        'If the feed is genuine, raise the limit with { zipLimits } when loading.', { details: { file, place, limit } });
  }
  static gtfsMissingFile(file: string, missing: readonly string[]): FormatError {
    return new FormatError('GTFS_MISSING_FILE',
      `GTFS feed '${file}' lacks the required file(s) ${missing.join(', ')}; it is not a valid feed.`,
      { details: { file, place: missing.join(','), missing } });
  }
}
