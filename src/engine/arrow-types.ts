import type * as arrow from 'apache-arrow';
import { Arrow } from '../util/arrow-lib';
import {
  DuckDBBigIntType, DuckDBBooleanType, DuckDBDateType, DuckDBDateValue, DuckDBDoubleType, DuckDBFloatType,
  DuckDBIntegerType, DuckDBSmallIntType, DuckDBTimestampMillisecondsType, DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsType, DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsType,
  DuckDBTimestampSecondsValue, DuckDBTimestampType, DuckDBTimestampTZType, DuckDBTimestampTZValue,
  DuckDBTimestampValue, DuckDBTinyIntType, DuckDBTypeId, DuckDBUBigIntType, DuckDBUIntegerType,
  DuckDBUSmallIntType, DuckDBUTinyIntType, DuckDBVarCharType,
  type DuckDBDecimalValue, type DuckDBType, type DuckDBValue,
} from '@duckdb/node-api';
import { ArtifactError } from '../errors';

/** A value as an Arrow buffer stores it: numbers, 64-bit integers, booleans or strings. */
export type ArrowCell = number | bigint | boolean | string;

/** Converts one non-null DuckDB value into its Arrow storage value. @internal */
export type DuckCellConverter = (value: DuckDBValue) => ArrowCell;

/** The error for a column type the bridge cannot carry (nested types, blobs, unions). @internal */
export function unsupportedType(type: string, column?: string): ArtifactError {
  const where = column === undefined ? '' : ` of column '${column}'`;
  return new ArtifactError('ARTIFACT_UNSUPPORTED_FORMAT',
    `Type ${type}${where} cannot cross the Arrow/DuckDB bridge. Supported: integers, floats, decimals, ` +
      `strings (incl. dictionary-encoded), booleans, dates and timestamps. Convert nested columns ` +
      `(List/Struct/Map) to strings (e.g. JSON) first.`, { details: { type, column } });
}

const INTS: Record<string, DuckDBType> = {
  i8: DuckDBTinyIntType.instance, i16: DuckDBSmallIntType.instance, i32: DuckDBIntegerType.instance,
  i64: DuckDBBigIntType.instance, u8: DuckDBUTinyIntType.instance, u16: DuckDBUSmallIntType.instance,
  u32: DuckDBUIntegerType.instance, u64: DuckDBUBigIntType.instance,
};

/** Indexed by `arrow.TimeUnit`, whose values the Arrow format fixes: SECOND 0, MILLI 1, MICRO 2, NANO 3. */
const TIMESTAMPS: readonly DuckDBType[] = [
  DuckDBTimestampSecondsType.instance, DuckDBTimestampMillisecondsType.instance, DuckDBTimestampType.instance,
  DuckDBTimestampNanosecondsType.instance,
];

/**
 * The DuckDB type object an Arrow type is appended as. Timestamps keep their unit (`TIMESTAMP_S`,
 * `TIMESTAMP_MS`, `TIMESTAMP`, `TIMESTAMP_NS`; with a time zone `TIMESTAMPTZ`); decimals become DOUBLE.
 * @internal
 */
export function duckDbTypeForArrow(type: arrow.DataType, column?: string): DuckDBType {
  switch (type.typeId) {
    case Arrow.Type.Int: {
      const int = type as arrow.Int;
      return INTS[`${int.isSigned ? 'i' : 'u'}${int.bitWidth}`];
    }
    case Arrow.Type.Float:
      return (type as arrow.Float).precision === Arrow.Precision.DOUBLE ? DuckDBDoubleType.instance : DuckDBFloatType.instance;
    case Arrow.Type.Decimal: return DuckDBDoubleType.instance;
    case Arrow.Type.Bool: return DuckDBBooleanType.instance;
    case Arrow.Type.Utf8: case Arrow.Type.LargeUtf8: case Arrow.Type.Null: return DuckDBVarCharType.instance;
    case Arrow.Type.Date: return DuckDBDateType.instance;
    case Arrow.Type.Timestamp: {
      const ts = type as arrow.Timestamp;
      return ts.timezone ? DuckDBTimestampTZType.instance : TIMESTAMPS[ts.unit];
    }
    case Arrow.Type.Dictionary: {
      const dict = (type as arrow.Dictionary).dictionary;
      if (Arrow.DataType.isUtf8(dict) || Arrow.DataType.isLargeUtf8(dict)) return DuckDBVarCharType.instance;
      break;
    }
  }
  throw unsupportedType(String(type), column);
}

/**
 * The DuckDB column type (SQL text, e.g. `BIGINT`, `TIMESTAMP_MS`) an Arrow type is stored as.
 * @throws ArtifactError `ARTIFACT_UNSUPPORTED_FORMAT` for List, Struct, Map, Binary and other nested types.
 */
export function duckTypeForArrow(type: arrow.DataType): string {
  return String(duckDbTypeForArrow(type));
}

const toStr: DuckCellConverter = (v) => String(v);
const DUCK_TO_ARROW: Partial<Record<DuckDBTypeId, [() => arrow.DataType, DuckCellConverter?]>> = {
  [DuckDBTypeId.BOOLEAN]: [() => new Arrow.Bool()], [DuckDBTypeId.TINYINT]: [() => new Arrow.Int8()],
  [DuckDBTypeId.SMALLINT]: [() => new Arrow.Int16()], [DuckDBTypeId.INTEGER]: [() => new Arrow.Int32()],
  [DuckDBTypeId.BIGINT]: [() => new Arrow.Int64()], [DuckDBTypeId.UTINYINT]: [() => new Arrow.Uint8()],
  [DuckDBTypeId.USMALLINT]: [() => new Arrow.Uint16()], [DuckDBTypeId.UINTEGER]: [() => new Arrow.Uint32()],
  [DuckDBTypeId.UBIGINT]: [() => new Arrow.Uint64()], [DuckDBTypeId.FLOAT]: [() => new Arrow.Float32()],
  [DuckDBTypeId.DOUBLE]: [() => new Arrow.Float64()], [DuckDBTypeId.SQLNULL]: [() => new Arrow.Null()],
  [DuckDBTypeId.HUGEINT]: [() => new Arrow.Int64(), (v) => checkedInt64(v as bigint, 'HUGEINT')],
  [DuckDBTypeId.UHUGEINT]: [() => new Arrow.Uint64(), (v) => checkedInt64(v as bigint, 'UHUGEINT')],
  [DuckDBTypeId.DECIMAL]: [() => new Arrow.Float64(), (v) => (v as DuckDBDecimalValue).toDouble()],
  [DuckDBTypeId.VARCHAR]: [() => new Arrow.Utf8()], [DuckDBTypeId.ENUM]: [() => new Arrow.Utf8()],
  [DuckDBTypeId.UUID]: [() => new Arrow.Utf8(), toStr], [DuckDBTypeId.TIME]: [() => new Arrow.Utf8(), toStr],
  [DuckDBTypeId.INTERVAL]: [() => new Arrow.Utf8(), toStr],
  [DuckDBTypeId.DATE]: [() => new Arrow.DateDay(), (v) => (v as DuckDBDateValue).days],
  [DuckDBTypeId.TIMESTAMP]: [() => new Arrow.TimestampMicrosecond(), (v) => (v as DuckDBTimestampValue).micros],
  [DuckDBTypeId.TIMESTAMP_S]: [() => new Arrow.TimestampSecond(), (v) => (v as DuckDBTimestampSecondsValue).seconds],
  [DuckDBTypeId.TIMESTAMP_MS]: [() => new Arrow.TimestampMillisecond(), (v) => (v as DuckDBTimestampMillisecondsValue).millis],
  [DuckDBTypeId.TIMESTAMP_NS]: [() => new Arrow.TimestampNanosecond(), (v) => (v as DuckDBTimestampNanosecondsValue).nanos],
  [DuckDBTypeId.TIMESTAMP_TZ]: [() => new Arrow.TimestampMicrosecond('UTC'), (v) => (v as DuckDBTimestampTZValue).micros],
};

function checkedInt64(v: bigint, type: string): bigint {
  if (BigInt.asIntN(64, v) !== v && BigInt.asUintN(64, v) !== v) throw unsupportedType(`${type} value ${v} (beyond 64 bits)`);
  return v;
}

/**
 * The Arrow type a DuckDB result column is read as: BIGINT → Int64, DOUBLE → Float64, DECIMAL →
 * Float64, VARCHAR/ENUM/UUID → Utf8, DATE → DateDay, TIMESTAMP[_S|_MS|_NS] → Timestamp of that unit,
 * TIMESTAMPTZ → Timestamp(µs, 'UTC'), HUGEINT → Int64 (values beyond 64 bits throw).
 * @throws ArtifactError `ARTIFACT_UNSUPPORTED_FORMAT` for LIST, STRUCT, MAP, BLOB, UNION and other nested types.
 */
export function arrowTypeForDuck(duckType: DuckDBType, column?: string): arrow.DataType {
  const entry = DUCK_TO_ARROW[duckType.typeId];
  if (!entry) throw unsupportedType(String(duckType), column);
  return entry[0]();
}

/** The converter from a non-null DuckDB value to its Arrow storage value, or undefined for identity. @internal */
export function duckCellConverter(duckType: DuckDBType): DuckCellConverter | undefined {
  return DUCK_TO_ARROW[duckType.typeId]?.[1];
}

/** Reads row `i` (0-based within the Data) of a non-null cell as a DuckDB value. @internal */
export type ArrowCellReader = (i: number) => DuckDBValue;

const stringCache = new WeakMap<arrow.Vector, (string | null)[]>();
const MS_PER_DAY = 86_400_000;
/** [multiplier, divisor] to microseconds, indexed by arrow.TimeUnit (SECOND … NANOSECOND). */
const TO_MICROS: readonly [bigint, bigint][] = [[1_000_000n, 1n], [1000n, 1n], [1n, 1n], [1n, 1000n]];

function utf8Reader(data: arrow.Data): ArrowCellReader {
  const bytes = data.values as Uint8Array;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof Int32Array) return (i) => buf.toString('utf8', offsets[i], offsets[i + 1]);
  return (i) => buf.toString('utf8', Number(offsets[i]), Number(offsets[i + 1]));
}

function dictionaryReader(data: arrow.Data): ArrowCellReader {
  const dict = data.dictionary as arrow.Vector;
  const strings = stringCache.get(dict) ?? (dict.toArray() as (string | null)[]);
  stringCache.set(dict, strings);
  const keys = data.values as ArrayLike<number | bigint>;
  return (i) => strings[Number(keys[i])];
}

/** Indexed by `arrow.TimeUnit` (SECOND 0 … NANO 3, as {@link TIMESTAMPS}). */
const TIMESTAMP_VALUES: readonly (new (v: bigint) => DuckDBValue)[] = [
  DuckDBTimestampSecondsValue, DuckDBTimestampMillisecondsValue, DuckDBTimestampValue, DuckDBTimestampNanosecondsValue,
];

function timestampReader(data: arrow.Data<arrow.Timestamp>): ArrowCellReader {
  const v = data.values as unknown as BigInt64Array;
  const { unit, timezone } = data.type;
  if (!timezone) {
    const Value = TIMESTAMP_VALUES[unit];
    return (i) => new Value(v[i]);
  }
  const [mul, div] = TO_MICROS[unit];
  return (i) => new DuckDBTimestampTZValue((v[i] * mul) / div);
}

function decimalReader(data: arrow.Data<arrow.Decimal>): ArrowCellReader {
  const words = data.values as Uint32Array;
  const stride = data.type.bitWidth / 32;
  const scale = 10 ** data.type.scale;
  return (i) => {
    let x = 0n;
    for (let k = stride - 1; k >= 0; k--) x = (x << 32n) | BigInt(words[i * stride + k]);
    return Number(BigInt.asIntN(stride * 32, x)) / scale;
  };
}

/**
 * A reader of the non-null cells of one Arrow Data (a column of one record batch), producing the
 * values DuckDB vectors of {@link duckDbTypeForArrow}'s type accept. @internal
 */
export function arrowCellReader(data: arrow.Data): ArrowCellReader {
  const type = data.type as arrow.DataType;
  switch (type.typeId) {
    case Arrow.Type.Int: case Arrow.Type.Float: {
      if ((type as arrow.Float).precision === Arrow.Precision.HALF) break;
      const values = data.values as ArrayLike<number | bigint>;
      return (i) => values[i];
    }
    case Arrow.Type.Bool: {
      const bits = data.values as Uint8Array;
      const off = data.offset;
      return (i) => ((bits[(off + i) >> 3] >> ((off + i) & 7)) & 1) === 1;
    }
    case Arrow.Type.Utf8: case Arrow.Type.LargeUtf8: return utf8Reader(data);
    case Arrow.Type.Dictionary: return dictionaryReader(data);
    case Arrow.Type.Timestamp: return timestampReader(data as arrow.Data<arrow.Timestamp>);
    case Arrow.Type.Decimal: return decimalReader(data as arrow.Data<arrow.Decimal>);
    case Arrow.Type.Null: return () => null;
    case Arrow.Type.Date: {
      const v = data.values as Int32Array | BigInt64Array;
      if (v instanceof Int32Array) return (i) => new DuckDBDateValue(v[i]);
      return (i) => new DuckDBDateValue(Math.floor(Number(v[i]) / MS_PER_DAY));
    }
  }
  const vector = Arrow.makeVector(data);
  return (i) => vector.get(i) as DuckDBValue;
}

/** Fills one Arrow column cell by cell, then hands out its Data. @internal */
export interface ArrowColumnBuilder {
  /** Sets row `index`; `null` marks it null. Rows never set stay null. */
  set(index: number, value: ArrowCell | null): void;
  finish(): arrow.Data;
}

type Buffers = { data?: ArrayBufferView; valueOffsets?: Int32Array };
type Store = { put(i: number, v: ArrowCell): void; buffers(length: number): Buffers };

function fixedStore(type: arrow.DataType, length: number): Store {
  const values = new (type.ArrayType as new (n: number) => Record<number, ArrowCell>)(length);
  return { put: (i, v) => { values[i] = v; }, buffers: () => ({ data: values as unknown as Uint8Array }) };
}

function boolStore(length: number): Store {
  const bits = new Uint8Array((length + 7) >> 3);
  return { put: (i, v) => { if (v) bits[i >> 3] |= 1 << (i & 7); }, buffers: () => ({ data: bits }) };
}

function utf8Store(length: number): Store {
  const strings = new Array<string | undefined>(length);
  return { put: (i, v) => { strings[i] = v as string; }, buffers: () => encodeUtf8(strings, length) };
}

const ENCODE_BLOCK = 1024;

/** UTF-8 encodes a column in blocks: one encode per block when it is ASCII (the common case). */
function encodeUtf8(strings: readonly (string | undefined)[], length: number): { valueOffsets: Int32Array; data: Uint8Array } {
  const valueOffsets = new Int32Array(length + 1);
  const parts: Buffer[] = [];
  let pos = 0;
  for (let start = 0; start < length; start += ENCODE_BLOCK) {
    const block = strings.slice(start, Math.min(length, start + ENCODE_BLOCK));
    const joined = block.join('');
    const ascii = Buffer.from(joined, 'utf8');
    const encoded = ascii.length === joined.length ? undefined : Array.from(block, (s) => Buffer.from(s ?? '', 'utf8'));
    for (let k = 0; k < block.length; k++) {
      pos += encoded ? encoded[k].length : block[k]?.length ?? 0;
      valueOffsets[start + k + 1] = pos;
    }
    parts.push(encoded ? Buffer.concat(encoded) : ascii);
  }
  const data = Buffer.concat(parts, pos);
  return { valueOffsets, data: new Uint8Array(data.buffer, data.byteOffset, pos) };
}

/** A builder of `length` rows of `type` (Int*, Uint*, Float*, Bool, Utf8, Date, Timestamp or Null). @internal */
export function makeArrowBuilder(type: arrow.DataType, length: number): ArrowColumnBuilder {
  const store = Arrow.DataType.isNull(type) ? undefined
    : Arrow.DataType.isBool(type) ? boolStore(length)
      : Arrow.DataType.isUtf8(type) ? utf8Store(length) : fixedStore(type, length);
  const valid = new Uint8Array((length + 7) >> 3);
  let validCount = 0;
  return {
    set(i, v) {
      if (v === null || !store) return;
      store.put(i, v);
      valid[i >> 3] |= 1 << (i & 7);
      validCount++;
    },
    finish() {
      const nullCount = store ? length - validCount : length;
      const nullBitmap = nullCount > 0 && store ? valid : undefined;
      return Arrow.makeData({ type, length, nullCount, nullBitmap, ...store?.buffers(length) } as Parameters<typeof arrow.makeData>[0]);
    },
  };
}
