import { gunzipSync, inflateSync, gzipSync, deflateSync } from 'node:zlib';
import { FormatError } from '../../errors';
import { requireEsm } from '../esm';

/** A bytes→bytes codec as a Zarr store names it (v2 `compressor`, v3 `codecs[]`). */
export interface CodecSpec {
  name: string;
  config: Record<string, unknown>;
}

interface NumCodec { encode(d: Uint8Array): Promise<Uint8Array>; decode(d: Uint8Array): Promise<Uint8Array> }
type NumCodecCtor = { fromConfig(c: Record<string, unknown>): NumCodec };

const WASM: Record<string, string> = { blosc: 'dist/blosc.js', lz4: 'dist/lz4.js', zstd: 'dist/zstd.js' };

/** Codec names consist-ts decodes (node:zlib for zlib/gzip, numcodecs' wasm for the rest). */
export const SUPPORTED_CODECS = ['zlib', 'gzip', 'blosc', 'lz4', 'zstd'] as const;

function wasmCodec(spec: CodecSpec): NumCodec {
  const mod = requireEsm<{ default: NumCodecCtor }>('numcodecs', WASM[spec.name]);
  return mod.default.fromConfig(spec.config);
}

/** Normalizes `numcodecs.zlib`-style names. @internal */
export const codecName = (id: string): string => id.replace(/^numcodecs\./, '');

/** True when {@link decodeBytes} can decode `name`. @internal */
export const isSupportedCodec = (name: string): boolean => (SUPPORTED_CODECS as readonly string[]).includes(codecName(name));

/** Decodes one chunk through a bytes codec. @throws FormatError `FORMAT_CODEC_UNSUPPORTED`. @internal */
export async function decodeBytes(spec: CodecSpec, data: Uint8Array, file: string, place: string): Promise<Uint8Array> {
  const name = codecName(spec.name);
  if (name === 'zlib') return inflateSync(data);
  if (name === 'gzip') return gunzipSync(data);
  if (name in WASM) return wasmCodec({ ...spec, name }).decode(data);
  throw FormatError.codecUnsupported(file, place, spec.name);
}

/** Encodes one chunk (used by tests and writers). @internal */
export async function encodeBytes(spec: CodecSpec, data: Uint8Array): Promise<Uint8Array> {
  const name = codecName(spec.name);
  if (name === 'zlib') return deflateSync(data, { level: Number(spec.config.level ?? 6) });
  if (name === 'gzip') return gzipSync(data, { level: Number(spec.config.level ?? 6) });
  if (name in WASM) return wasmCodec({ ...spec, name }).encode(data);
  throw FormatError.codecUnsupported('(encoder)', 'encode', spec.name);
}
