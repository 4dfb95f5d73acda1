/**
 * A small travel-demand model: a synthetic population, a yearly simulation of trips whose mode
 * choice depends on the gas price, and a report. Written the way a modeller would use consist-ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import { IsInt, IsNumber, Min } from 'class-validator';
import {
  CouplerSchema, Input, Slot, Step, StepBase, type Artifact, type ScenarioContext,
} from 'consist-ts';

/** Deterministic PRNG so every run of the demo produces the same bytes. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class PopulationConfig {
  @IsInt() @Min(1) households = 4000;
  @IsInt() seed = 42;
}

/** Synthesizes persons in households across 25 zones. */
@Step({ outputs: ['population'], config: PopulationConfig, codeVersion: '1', model: 'travel_demand' })
export class SynthesizePopulation extends StepBase<PopulationConfig> {
  async run() {
    const rand = mulberry32(this.config.seed);
    const rows: Record<string, unknown>[] = [];
    for (let h = 0; h < this.config.households; h++) {
      const size = 1 + Math.floor(rand() * 4);
      const zone = 1 + Math.floor(rand() * 25);
      const income = Math.round(20000 + rand() * 130000);
      for (let p = 0; p < size; p++) {
        rows.push({ person_id: rows.length + 1, household_id: h + 1, zone, age: Math.floor(rand() * 85), income });
      }
    }
    return { population: rows };
  }
}

export class SimulationConfig {
  @IsNumber() @Min(0) gasPrice = 3.5;
  @IsNumber() @Min(0) transitFare = 2.5;
  @IsInt() @Min(1) iterations = 250;
}

/** Simulates one year: ages the population and chooses a mode for each person's trips. */
@Step({ outputs: ['persons'], config: SimulationConfig, codeVersion: '1' })
export class SimulateYear extends StepBase<SimulationConfig> {
  async run(@Input('population') population: Table) {
    const year = this.ctx.year ?? 2020;
    const rand = mulberry32(year * 7 + Math.round(this.config.gasPrice * 100));
    const rows: Record<string, unknown>[] = [];
    for (const r of population) {
      const income = Number(r.income) * Math.pow(1.015, year - 2020);
      let carUtility = 0;
      for (let i = 0; i < this.config.iterations; i++) carUtility += Math.log1p(income / 10000) - this.config.gasPrice * 0.35 + rand() * 0.1;
      const pCar = 1 / (1 + Math.exp(-(carUtility / this.config.iterations) + this.config.transitFare * 0.2));
      const trips = 1 + Math.floor(rand() * 4);
      rows.push({
        person_id: Number(r.person_id), zone: Number(r.zone), age: Number(r.age) + (year - 2020),
        income: Math.round(income), number_of_trips: trips, car_trips: Math.round(trips * pCar), vmt: Math.round(trips * pCar * 12.3 * 10) / 10,
      });
    }
    return { persons: rows };
  }
}

@CouplerSchema()
export class TravelCoupler {
  @Slot({ description: 'synthetic population' }) population!: Artifact;
  @Slot({ required: true, description: 'persons of the last simulated year' }) persons!: Artifact;
  @Slot({ description: 'per-year summary written by the report trace' }) summary!: Artifact;
  @Slot({ description: 'zone-to-zone travel times (function step)' }) skims!: Artifact;
  @Slot({ description: 'link volumes of the last year (command step)' }) volumes!: Artifact;
}

/** Network settings: only the skims and the assignment read them. */
export interface NetworkConfig { congestion: number }

/** The "assignment model": an external program (here a shell script) run as a command step. */
const ASSIGN = 'mkdir -p output && { echo "zone_pairs,persons_bytes"; ' +
  'echo "$(($(wc -l < "$1") - 1)),$(wc -c < "$2")"; } > output/link_volumes.csv';

/** The years every scenario simulates. */
export const YEARS = [2020, 2030, 2040] as const;

/**
 * One scenario: population, skims (a function step), each year, the assignment of the last year
 * (a command step whose inputs are coupler keys), then a report trace. `workDir` is where the
 * external program writes; each input combination gets its own folder, so nothing is overwritten.
 */
export async function simulate(sc: ScenarioContext<TravelCoupler>, config: Partial<SimulationConfig>,
  network: NetworkConfig, workDir: string): Promise<void> {
  const households = Number(sc.config.households ?? 4000);
  await sc.run(SynthesizePopulation, { config: { households } });
  await sc.run({
    name: 'skims', outputs: ['skims'], config: network, codeVersion: '1',
    fn: async (_inputs, ctx) => {
      const file = path.join(ctx.runDir, 'skims.csv');
      const lines = ['origin,destination,minutes'];
      for (let o = 1; o <= 25; o++) for (let d = 1; d <= 25; d++) lines.push(`${o},${d},${(2 + Math.abs(o - d) * 1.5 * ctx.config.congestion).toFixed(1)}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return { skims: file };
    },
  });
  const byYear: Record<string, unknown>[] = [];
  for (const year of YEARS) {
    const r = await sc.run(SimulateYear, { year, config });
    byYear.push({ year, persons: r.outputs.persons.id });
  }
  const { skims, persons } = sc.coupler;
  const cwd = path.join(workDir, `assign_${skims.id}_${persons.id}`);
  mkdirSync(cwd, { recursive: true });
  await sc.runCommand({
    name: 'assign', command: ['sh', '-c', ASSIGN, 'assign', skims.path, persons.path],
    cwd, inputs: ['skims', 'persons'],
    outputs: { volumes: 'output/link_volumes.csv' }, year: YEARS[YEARS.length - 1],
  });
  await sc.trace('report', { inputs: ['persons'], outputs: ['summary'] }, async (ctx) => {
    const persons = await sc.load(sc.coupler.persons);
    let vmt = 0;
    for (const p of persons) vmt += Number(p.vmt);
    await ctx.logTable([{ scenario: sc.runId, persons: persons.numRows, total_vmt: Math.round(vmt) }], { key: 'summary' });
  });
}

/** The scenarios the demo runs: same model, different gas price. */
export const SCENARIOS: Record<string, Partial<SimulationConfig>> = { baseline: { gasPrice: 3.5 }, high_gas: { gasPrice: 6.0 } };
