import { CatalogFreshness } from './catalog-freshness';
import type { Table as ArrowTable } from 'apache-arrow';
import type { Kysely } from 'kysely';
import { ConfigurationError, ViewError, isConsistError } from '../errors';
import { compileTable } from '../metadata/compile-table';
import { assertArtifactKey } from '../model/artifact-key';
import { hotTableName } from '../materialize/hot-table';
import type { SchemaRegistry } from '../materialize/schema-registry';
import { queryToArrow, type QueryParams } from '../engine/arrow-bridge';
import type { DbUnits } from '../provenance/database';
import type { SqlRow } from '../provenance/executor';
import type { Logger } from '../util/logger';
import { assertViewName } from './grouped-options';
import type { GroupedViewOptions } from './grouped-options';
import { GroupedViewBuilder } from './grouped-view';
import { HybridViewBuilder, type HybridViewSpec } from './hybrid-view';
import { ProvenanceDialect, toPlainRows } from './kysely-dialect';
import type { PivotFacetsOptions } from './pivot-facets';
import { FacetPivotView, pivotFacetsQuery } from './facet-pivot-view';
import { createViewSql } from './view-sql';
import type { ProvenanceTables } from './provenance-tables';
import { View } from './view';
import { assertMemberViewOptions, type MemberViewOptions } from './member-view-source';
import type { ViewSources } from './view-sources';

/** `tracker.views`: one typed {@link View} per schema class given to `Tracker.open({ schemas })`. */
export type ViewsOf<S> = {
  [K in keyof S]: View<S[K] extends abstract new (...args: never[]) => infer I ? I : Record<string, unknown>>;
};

/** The collaborators of a {@link ViewFactory}. @internal */
export interface ViewFactoryDeps {
  db: DbUnits;
  registry: SchemaRegistry;
  /** Resolves an artifact URI to a local path. */
  toPath: (uri: string) => string;
  logger: Logger;
  /** `@Table` classes by view name, for the typed `views` map (default: none). */
  schemas?: Readonly<Record<string, Function>>;
  /** Parts read from format artifacts: built-in GTFS schemas, OMX/pandas key views (default: none). */
  sources?: ViewSources;
}

/**
 * Creates and maintains the SQL views of the data plane: hybrid views per schema class or key,
 * grouped views, and the Kysely/SQL entry points over the provenance database.
 *
 * Freshness: hybrid views are re-created lazily. Before any query made through this factory
 * (Kysely, `sql`, `toArrow`), one cheap prepared statement reads a catalog generation (artifact
 * count and newest `created_at`, ingestion and schema-observation counts); views built at an older
 * generation are re-created. The sole writer skips even that while nothing has run since
 * ({@link CatalogFreshness}). Grouped views are built once, like the Python original: create them again to refresh.
 */
export class ViewFactory {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private lazyKysely: Kysely<any> | undefined;
  private readonly specs = new Map<string, HybridViewSpec>();
  private readonly builtAt = new Map<string, string>();
  private readonly hybrid: HybridViewBuilder;
  private readonly grouped: GroupedViewBuilder;
  private typed: Record<string, View> | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly freshness: CatalogFreshness;

  private readonly db: DbUnits;
  private readonly schemas: Readonly<Record<string, Function>>;
  private readonly sources: ViewSources | undefined;

  constructor({ db, registry, toPath, logger, schemas = {}, sources }: ViewFactoryDeps) {
    this.db = db;
    this.schemas = schemas;
    this.sources = sources;
    this.freshness = new CatalogFreshness(db);
    this.hybrid = new HybridViewBuilder(db, toPath, logger);
    this.grouped = new GroupedViewBuilder(db, registry, toPath, logger);
  }

  /**
   * Kysely over the provenance DB (views refreshed before each query). Created on first use, so
   * opening a tracker does not load kysely / kysely-duckdb (see docs/performance.md).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get kysely(): Kysely<any> {
    if (!this.lazyKysely) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Kysely: KyselyClass } = require('kysely') as typeof import('kysely');
      this.lazyKysely = new KyselyClass({ dialect: new ProvenanceDialect(this.db, () => this.refresh()) });
    }
    return this.lazyKysely;
  }

  /** Kysely over the provenance DB, typed for its core tables (views are reached through `View.query()`). */
  get provenance(): Kysely<ProvenanceTables> {
    return this.kysely as Kysely<ProvenanceTables>;
  }

  /** The typed views of the schema classes (memoized; `v_<table name>` each). */
  views(): Record<string, View> {
    if (!this.typed) {
      const typed: Record<string, View> = {};
      for (const [prop, cls] of Object.entries(this.schemas)) {
        const def = compileTable(cls);
        typed[prop] = this.register({ name: `v_${def.name}`, hotTable: hotTableName(def.name), key: def.name, schemaId: def.schemaId, definition: def,
          source: this.sources?.forSchema(cls, def) });
      }
      this.typed = typed;
    }
    return this.typed;
  }

  /**
   * A hybrid view `name` over every artifact logged under `key` (hot table `hot.<key>` + cold files,
   * plus OMX files as long tables and, with `options.member`, that pandas table of HDF5 files).
   */
  async createView(name: string, key: string, options?: MemberViewOptions): Promise<View> {
    assertViewName(name);
    assertArtifactKey(key);
    assertMemberViewOptions(options);
    const previous = this.specs.get(name);
    const view = this.register({ name, hotTable: hotTableName(key), key, schemaId: null, definition: null, source: this.sources?.forKey(key, options) });
    try {
      await this.refresh();
    } catch (err) {
      // A view that cannot be built must not stay registered: every later refresh would fail on it.
      if (previous) this.register(previous);
      else this.specs.delete(name);
      throw err;
    }
    return view;
  }

  /** Creates a grouped view (API.md §5) and returns it. */
  async createGroupedView(name: string, options: GroupedViewOptions): Promise<View> {
    const ddl = await this.grouped.build(name, options);
    await this.execDdl(name, ddl);
    return new View(name, this);
  }

  /** Runs SQL over the provenance DB (views brought up to date first); BIGINTs come back as numbers when safe. */
  async sql<T extends SqlRow = SqlRow>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    if (typeof text !== 'string' || !text.trim()) throw ConfigurationError.invalidOption('sql', text, 'a non-empty SQL string');
    if (!Array.isArray(params)) throw ConfigurationError.invalidOption('params', params, 'an array of values for the ? placeholders');
    await this.refresh();
    return toPlainRows<T>(await this.freshness.read(text, params));
  }

  /** One row per run with one column per facet key (API.md §11): a named view, re-created on each call. */
  async pivotFacets(opts: PivotFacetsOptions): Promise<FacetPivotView> {
    const { name, sql } = await pivotFacetsQuery(this.db, opts);
    await this.execDdl(name, createViewSql(name, sql));
    return new FacetPivotView(name, this, sql);
  }

  /** Runs SQL and returns an Arrow table (views brought up to date first). */
  async toArrow(text: string, params?: QueryParams): Promise<ArrowTable> {
    await this.refresh();
    return this.db.withConnection((conn) => queryToArrow(conn, text, params));
  }

  /** Re-creates every hybrid view whose catalog generation is stale; concurrent callers share one pass. */
  refresh(): Promise<void> {
    this.views();
    if (this.specs.size === 0) return Promise.resolve();
    this.refreshing ??= this.refreshStale().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private register(spec: HybridViewSpec): View {
    this.specs.set(spec.name, spec);
    this.builtAt.delete(spec.name);
    return new View(spec.name, this);
  }

  private async refreshStale(): Promise<void> {
    const unbuilt = [...this.specs.keys()].some((name) => !this.builtAt.has(name));
    const generation = await this.freshness.generation(unbuilt);
    if (generation === undefined) return; // nothing can have changed since the last check
    let rebuilt = false;
    for (const spec of this.specs.values()) {
      if (this.builtAt.get(spec.name) === generation) continue;
      await this.execDdl(spec.name, await this.hybrid.build(spec));
      this.builtAt.set(spec.name, generation);
      rebuilt = true;
    }
    if (!rebuilt) this.freshness.checked();
  }

  /** Runs a view's DDL; several statements (metadata tables, then the view) in one transaction, so a failure leaves nothing. */
  private async execDdl(name: string, ddl: string | readonly string[]): Promise<void> {
    try {
      if (typeof ddl === 'string') await this.db.run(ddl);
      else await this.db.transaction(async (tx) => { for (const statement of ddl) await tx.run(statement); });
    } catch (err) {
      throw isConsistError(err) && !(err.code === 'DB_QUERY_FAILED') ? err : ViewError.createFailed(name, err);
    }
  }
}
