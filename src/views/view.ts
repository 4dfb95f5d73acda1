import type { Table as ArrowTable } from 'apache-arrow';
import type { Kysely, SelectQueryBuilder, sql as SqlTag } from 'kysely';
import type { QueryParams } from '../engine/arrow-bridge';
import type { SqlRow } from '../provenance/executor';
import { quoteIdent } from '../provenance/sql';

/** kysely's `sql` tag, loaded on first use like the rest of kysely (see `ViewFactory.kysely`). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kyselySql = (): typeof SqlTag => (require('kysely') as typeof import('kysely')).sql;

/** The system columns of every view row. */
export interface SystemColumns {
  consist_run_id: string | null;
  consist_artifact_id: string | null;
  consist_year: number | null;
  consist_iteration: number | null;
  consist_scenario_id: string | null;
}

type DataProps<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: T[K] };

/** One row of a `View<T>`: the data properties of `T` plus {@link SystemColumns}. */
export type ViewRow<T> = DataProps<T> & SystemColumns;

/** The Kysely database type a view query runs against: the view, aliased `v`. */
export interface ViewDatabase<T> { v: ViewRow<T> }

/** A typed Kysely query over a view (`select` checks column names against `T` and the system columns). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ViewQuery<T> = SelectQueryBuilder<ViewDatabase<T>, 'v', {}>;

/** What a {@link View} runs on; implemented by `ViewFactory`. @internal */
export interface ViewHost {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly kysely: Kysely<any>;
  /** Runs SQL and returns an Arrow table, after bringing views up to date. */
  toArrow(text: string, params?: QueryParams): Promise<ArrowTable>;
}

/**
 * A DuckDB view over every artifact of one table (API.md §5). Queries always see artifacts logged
 * and ingested up to the moment they run: the view is re-created first when the catalog changed.
 */
export class View<T = Record<string, unknown>> {
  /** @internal created by `ViewFactory`. */
  constructor(readonly name: string, private readonly host: ViewHost) {}

  /** A typed Kysely `SELECT … FROM "<view>" AS v`; finish it with `.select(...)`/`.selectAll()` and `.execute()`. */
  query(): ViewQuery<T> {
    const sql = kyselySql();
    return this.host.kysely.selectFrom(sql.table(this.name).as('v')) as unknown as ViewQuery<T>;
  }

  /** Every row, or those whose columns equal the given values (`null` matches NULL). */
  async rows(where: Partial<ViewRow<T>> = {}): Promise<ViewRow<T>[]> {
    const sql = kyselySql();
    let q = this.host.kysely.selectFrom(sql.table(this.name).as('v')).selectAll();
    for (const [column, value] of Object.entries(where as SqlRow)) {
      if (value === undefined) continue;
      q = value === null ? q.where(sql.id(column), 'is', null) : q.where(sql.id(column), '=', value);
    }
    return (await q.execute()) as ViewRow<T>[];
  }

  /** The whole view as Arrow, or the result of `text` (which may refer to the view by {@link name}). */
  toArrow(text?: string, params?: QueryParams): Promise<ArrowTable> {
    return this.host.toArrow(text ?? `SELECT * FROM ${quoteIdent(this.name)}`, params);
  }

  /** Number of rows. */
  async count(): Promise<number> {
    const sql = kyselySql();
    const row = await this.host.kysely.selectFrom(sql.table(this.name).as('v'))
      .select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
