/**
 * The grouped-views guide, as written: BEAM iterations logged by runs of model `beam` (one
 * `linkstats_iter_<n>` table per iteration, the key changing every time), then ONE view over all of
 * them selected by schema identity and facets, with typed `facet_<key>` columns.
 * Run with `npx ts-node examples/grouped-views.ts [runDir]` (use an empty folder).
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { IsInt } from 'class-validator';
import { Column, Table, Tracker, compileTable } from '../src';

/** One row of BEAM's link statistics. */
@Table({ name: 'linkstats' })
export class LinkstatsRow {
  @Column() @IsInt() link_id!: number;
  @Column({ type: 'DOUBLE' }) volume!: number;
  @Column({ type: 'DOUBLE' }) travel_time!: number;
}

/** The schema id the guide passes as `schema_id` (here computed from the class instead of pasted). */
export const LINKSTATS_SCHEMA_ID = compileTable(LinkstatsRow).schemaId;

const FAMILY = 'linkstats_unmodified_phys_sim_iter_parquet';

/** Runs the example in `runDir`; returns the rows of both forms of the grouped view. */
export async function main(runDir: string, print: (s: string) => void = console.log) {
  const tracker = await Tracker.open({
    runDir, codeIdentity: 'class-source',
    // `linkstats_iter_3` → { iteration: 3 }: every output whose key starts with the prefix gets it.
    artifactFacetParsers: { linkstats_iter_: (key) => ({ iteration: Number(key.slice('linkstats_iter_'.length)) }) },
  });
  try {
    for (const year of [2018, 2019]) {
      for (const iteration of [0, 1, 2]) {
        await tracker.run({
          name: 'beam_iteration', model: 'beam', year, iteration, config: { year, iteration, sample: 0.1 },
          facetFrom: ['year', 'sample'], // the run's facet: { year, sample }, recorded under namespace 'beam'
          fn: async (_inputs, ctx) => {
            const rows = [1, 2, 3].map((link_id) => ({ link_id, volume: link_id * 100 + iteration, travel_time: 60 / link_id + year - 2018 }));
            await ctx.logTable(rows, {
              key: `linkstats_iter_${iteration}`, schema: LinkstatsRow,
              facet: { artifact_family: FAMILY, year, phys_sim_iteration: iteration, beam_sub_iteration: 0 },
            });
          },
        });
      }
    }

    // tracker.create_grouped_view("v_linkstats_all", schema_id=…, namespace="beam", params=[…], …)
    const view = await tracker.createGroupedView('v_linkstats_all', {
      schemaId: LINKSTATS_SCHEMA_ID,
      namespace: 'beam',
      params: [`artifact_family=${FAMILY}`, 'year=2018', 'iteration=0'],
      drivers: ['parquet'],
      attachFacets: ['artifact_family', 'year', 'iteration', 'phys_sim_iteration', 'beam_sub_iteration'],
      includeSystemColumns: true,
      mode: 'hybrid', // hybrid | hot_only | cold_only
      ifExists: 'replace', // replace | error
      missingFiles: 'warn', // warn | error | skip_silent
    });
    const first = await tracker.sql(`SELECT * FROM ${view.name} ORDER BY link_id`);
    print(`v_linkstats_all (year 2018, iteration 0): ${first.length} rows`);

    // …or select by the @Table class instead of a hash (schema_id and schema are mutually exclusive).
    const all = await tracker.createGroupedView('v_linkstats_all', {
      schema: LinkstatsRow, namespace: 'beam', params: [`artifact_family=${FAMILY}`],
    });
    const perIteration = await tracker.sql(
      `SELECT consist_year, count(*) AS n FROM ${all.name} GROUP BY consist_year ORDER BY consist_year`);
    print(`v_linkstats_all (every iteration): ${perIteration.map((r) => `${r.consist_year}: ${r.n} rows`).join(', ')}`);
    return { first, perIteration };
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? path.resolve('grouped-views-example-runs')).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
