/**
 * Data virtualization in one script: Parquet outputs of two scenarios x two years become one typed
 * view (`tracker.views.Person`), half of them ingested into DuckDB and half read straight from the
 * files, then a grouped view selected by facets. Run with `npx ts-node examples/views.ts [runDir]`.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { IsInt, Min } from 'class-validator';
import { sql } from 'kysely';
import { Column, Table, Tracker } from '../src';

/** The schema of the persons table every run writes. */
@Table({ name: 'person' })
export class Person {
  @Column({ primaryKey: true }) @IsInt() person_id!: number;
  @Column() @IsInt() @Min(0) age!: number;
  @Column({ type: 'DOUBLE' }) number_of_trips!: number;
}

const GROWTH: Record<string, number> = { baseline: 1.0, growth: 1.3 };

/** Runs the example in `runDir`; returns mean trips per scenario and year, and the grouped view's row count. */
export async function main(runDir: string, print: (s: string) => void = console.log) {
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source', schemas: { Person } });
  try {
    const data = path.join(runDir, 'data');
    mkdirSync(data, { recursive: true });
    for (const [scenario, growth] of Object.entries(GROWTH)) {
      for (const year of [2020, 2030]) {
        const file = path.join(data, `persons_${scenario}_${year}.parquet`);
        // Any tool may write the file; here DuckDB does: 100 persons whose trips grow with the scenario.
        await tracker.sql(`COPY (SELECT i AS person_id, 20 + i % 50 AS age, (i % 5) * ${growth} * ${year - 2010} / 10.0 AS number_of_trips
          FROM range(100) t(i)) TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
        const artifact = await tracker.startRun(`${scenario}_${year}`, { model: 'synth', parentRunId: scenario, year },
          () => tracker.logArtifact(file, { key: 'persons', schema: Person, facet: { scenario, growth }, facetNamespace: 'synth' }));
        if (year === 2020) await tracker.ingest(artifact, { schema: Person }); // hot; 2030 stays cold
      }
    }
    const perYear = await tracker.views.Person.query()
      .select(['consist_scenario_id', 'consist_year', sql<number>`round(avg(number_of_trips), 3)`.as('mean_trips')])
      .groupBy(['consist_scenario_id', 'consist_year']).orderBy('consist_scenario_id').orderBy('consist_year').execute();
    print('Mean trips per person (hot 2020 rows + cold 2030 files, one view):');
    for (const r of perYear) print(`  ${r.consist_scenario_id}  ${r.consist_year}  ${r.mean_trips}`);
    const grouped = await tracker.createGroupedView('v_growth_persons', {
      schema: Person, namespace: 'synth', params: ['scenario=growth'], attachFacets: ['growth'],
    });
    const groupedCount = await grouped.count();
    print(`Grouped view v_growth_persons: ${groupedCount} rows with a typed facet_growth column.`);
    return { perYear, groupedCount };
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? path.resolve('views-example-runs')).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
