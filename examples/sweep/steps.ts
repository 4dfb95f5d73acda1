/**
 * The step the sweep example fans out: a toy "simulate one year of one scenario". Declared at the
 * top level of its own module and exported, so worker processes (and Slurm jobs) can import it.
 */
import 'reflect-metadata';
import { IsIn, IsInt } from 'class-validator';
import { Step, StepBase } from '../../src';

/** One cell of the sweep: a year and a scenario. */
export class SimulateYearConfig {
  @IsInt() year = 2020;
  @IsIn(['baseline', 'high_gas', 'transit_push']) scenario = 'baseline';
}

const GAS_PRICE: Record<string, number> = { baseline: 3.5, high_gas: 5.5, transit_push: 3.5 };
const TRANSIT_BOOST: Record<string, number> = { baseline: 0, high_gas: 0.03, transit_push: 0.08 };

/** Mode shares of one simulated year (deterministic toy model). */
@Step({ outputs: ['mode_shares'], config: SimulateYearConfig, codeVersion: 'simulate-year-1', model: 'toy_abm' })
export class SimulateYear extends StepBase<SimulateYearConfig> {
  async run(): Promise<{ mode_shares: Record<string, unknown>[] }> {
    const { year, scenario } = this.config;
    const t = year - 2020;
    const transit = 0.12 + 0.004 * t + TRANSIT_BOOST[scenario];
    const walk = 0.08 + 0.001 * t;
    const car = 1 - transit - walk;
    return { mode_shares: [
      { year, scenario, gas_price: GAS_PRICE[scenario], mode: 'car', share: car },
      { year, scenario, gas_price: GAS_PRICE[scenario], mode: 'transit', share: transit },
      { year, scenario, gas_price: GAS_PRICE[scenario], mode: 'walk', share: walk },
    ] };
  }
}
