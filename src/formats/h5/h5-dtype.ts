import type { Metadata } from 'h5wasm';

/** A numeric typed array as the format drivers return it. */
export type NumericArray =
  | Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

type Ctor = { new (n: number): NumericArray; new (b: ArrayBufferLike, o: number, n: number): NumericArray; BYTES_PER_ELEMENT: number };

const INTS: Record<string, Ctor> = {
  i1: Int8Array, i2: Int16Array, i4: Int32Array, i8: BigInt64Array,
  u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, u8: BigUint64Array,
};
const FLOATS: Record<number, Ctor> = { 4: Float32Array, 8: Float64Array };

/** HDF5 type classes (H5T_class_t). @internal */
export const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, BITFIELD: 4, COMPOUND: 6, ENUM: 8, VLEN: 9, ARRAY: 10 } as const;

/**
 * A numpy-style dtype name for an HDF5 type (`float64`, `int32`, `uint8`, `string`, `compound`…),
 * the name recorded in artifact metadata. @internal
 */
export function dtypeName(m: Metadata): string {
  if (m.type === H5T.FLOAT) return `float${m.size * 8}`;
  if (m.type === H5T.BITFIELD && m.size === 1) return 'bool';
  if (m.type === H5T.INTEGER || m.type === H5T.BITFIELD) return `${m.signed ? 'int' : 'uint'}${m.size * 8}`;
  if (m.type === H5T.ENUM) return m.size === 1 ? 'bool' : `enum${m.size * 8}`;
  if (m.type === H5T.STRING) return m.vlen ? 'string' : `S${m.size}`;
  if (m.type === H5T.COMPOUND) return 'compound';
  if (m.type === H5T.ARRAY) return `array<${m.array_type ? dtypeName(m.array_type) : '?'}>`;
  if (m.type === H5T.VLEN) return `vlen<${m.vlen_type ? dtypeName(m.vlen_type) : '?'}>`;
  return `h5type${m.type}`;
}

/** The typed-array class for a numeric HDF5 type, or undefined for strings, compounds… @internal */
export function numericCtor(m: Pick<Metadata, 'type' | 'size' | 'signed'>): Ctor | undefined {
  if (m.type === H5T.FLOAT) return FLOATS[m.size];
  if (m.type === H5T.INTEGER || m.type === H5T.BITFIELD || m.type === H5T.ENUM) return INTS[`${m.signed ? 'i' : 'u'}${m.size}`];
  return undefined;
}

/** Largest slice (bytes) read from the wasm heap in one call: far below its 2 GiB cap. @internal */
export const MAX_SLICE_BYTES = 256 * 1024 * 1024;

/** Rows per slice so one slice of `rowBytes`-byte rows stays under {@link MAX_SLICE_BYTES}. @internal */
export function rowsPerSlice(rowBytes: number): number {
  return Math.max(1, Math.floor(MAX_SLICE_BYTES / Math.max(1, rowBytes)));
}
