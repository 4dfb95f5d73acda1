import * as arrow from 'apache-arrow';

/** Column names and DuckDB types of {@link benchTable}. */
export const BENCH_COLUMNS: readonly [string, string][] = [
  ['id', 'BIGINT'], ['zone', 'INTEGER'], ['dist', 'DOUBLE'], ['mode', 'VARCHAR'], ['flag', 'BOOLEAN'],
];

const MODES = ['walk', 'bike', 'bus', 'rail', 'car', 'carpool', 'taxi', 'ferry'];

/**
 * A deterministic 5-column Arrow table (`id` Int64, `zone` Int32, `dist` Float64, `mode` Utf8,
 * `flag` Bool) of `rows` rows, no nulls. The same rows as {@link benchRowsSql}.
 */
export function benchTable(rows: number): arrow.Table {
  const id = new BigInt64Array(rows);
  const zone = new Int32Array(rows);
  const dist = new Float64Array(rows);
  const mode = new Array<string>(rows);
  const flag = new Array<boolean>(rows);
  for (let i = 0; i < rows; i++) {
    id[i] = BigInt(i);
    zone[i] = i % 1000;
    dist[i] = (i % 997) * 0.25;
    mode[i] = MODES[i % MODES.length];
    flag[i] = i % 2 === 0;
  }
  return new arrow.Table({
    id: arrow.makeVector(id),
    zone: arrow.makeVector(zone),
    dist: arrow.makeVector(dist),
    mode: arrow.vectorFromArray(mode, new arrow.Utf8()),
    flag: arrow.vectorFromArray(flag, new arrow.Bool()),
  });
}

/** SQL producing the same rows as {@link benchTable} (for floors that start inside DuckDB). */
export function benchRowsSql(rows: number): string {
  const modes = MODES.map((m) => `'${m}'`).join(', ');
  return `SELECT i::BIGINT AS id, (i % 1000)::INTEGER AS zone, (i % 997) * 0.25 AS dist,
    [${modes}][(i % ${MODES.length}) + 1] AS mode, i % 2 = 0 AS flag FROM range(${rows}) t(i)`;
}

/** Plain JS columns of a table (what an Appender floor is fed; extracted once, untimed). */
export function jsColumns(table: arrow.Table): unknown[][] {
  return table.schema.fields.map((f) => {
    const v = table.getChild(f.name);
    if (!v) throw new Error(`no column ${f.name}`);
    return Array.from(v.toArray() as ArrayLike<unknown>);
  });
}
