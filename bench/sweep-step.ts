/** The step the sweep bench fans out: burns `cpuMs` of CPU and returns one row. */
import 'reflect-metadata';
import { IsInt } from 'class-validator';
import { Step, StepBase } from '../src';

/** Config of {@link BurnCpu}. */
export class BurnCpuConfig {
  @IsInt() i = 0;
  @IsInt() cpuMs = 50;
}

/** Spins for `cpuMs` and returns `{ i }`. */
@Step({ outputs: ['out'], config: BurnCpuConfig, codeVersion: 'bench-burn-1' })
export class BurnCpu extends StepBase<BurnCpuConfig> {
  async run(): Promise<{ out: Record<string, unknown>[] }> {
    for (const end = Date.now() + this.config.cpuMs; Date.now() < end;) Math.sqrt(Math.random());
    return { out: [{ i: this.config.i }] };
  }
}
