/**
 * Step caching in one script: a miss, a hit that does not call `run()`, early cut-off (a downstream
 * step that stays cached because its upstream re-ran but wrote the same bytes), and a miss explained
 * by a config change. Run with `npx ts-node examples/caching.ts [runDir]`.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Table } from 'apache-arrow';
import { IsNumber, Min } from 'class-validator';
import { Input, Step, StepBase, Tracker } from '../src';

/** Config of {@link CleanData}; class-validator rules run before anything is hashed. */
export class CleaningConfig {
  @IsNumber() @Min(0) threshold = 0.5;
}

/** How often each step's `run()` was really called (a cache hit does not call it). */
export const calls = { clean: 0, summarize: 0 };

/** Keeps the rows whose `value` reaches the threshold. */
@Step({ outputs: ['cleaned'], config: CleaningConfig, codeVersion: '1' })
export class CleanData extends StepBase<CleaningConfig> {
  async run(@Input('raw') raw: Table): Promise<{ cleaned: Record<string, unknown>[] }> {
    calls.clean++;
    const rows = raw.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    return { cleaned: rows.filter((r) => Number(r.value) >= this.config.threshold).map((r) => ({ id: Number(r.id), value: Number(r.value) })) };
  }
}

/** The same cleaning with a new code version (say, a refactor): its output bytes are unchanged. */
@Step({ name: 'CleanData', outputs: ['cleaned'], config: CleaningConfig, codeVersion: '2' })
export class CleanDataRefactored extends CleanData {}

/** Counts the cleaned rows. */
@Step({ outputs: ['summary'], codeVersion: '1' })
export class Summarize extends StepBase {
  async run(@Input('cleaned') cleaned: Table): Promise<{ summary: Record<string, unknown>[] }> {
    calls.summarize++;
    return { summary: [{ rows: cleaned.numRows }] };
  }
}

/** Runs the example in `runDir`, printing each run's cache outcome. */
export async function main(runDir: string, print: (line: string) => void = console.log): Promise<void> {
  const raw = path.join(runDir, 'data', 'raw.csv');
  mkdirSync(path.dirname(raw), { recursive: true });
  writeFileSync(raw, 'id,value\n1,0.2\n2,0.7\n3,0.9\n');
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source' });
  try {
    const first = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5 } });
    print(`1. miss: cacheHit=${first.cacheHit}, reason=${first.cacheMissReason?.reason}`);

    const second = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.5 } });
    print(`2. hit: cacheHit=${second.cacheHit}, reused ${second.run.reusedRunId}, run() calls=${calls.clean}`);

    const summary = await tracker.run(Summarize, { inputs: { cleaned: first.outputs.cleaned } });
    const refactored = await tracker.run(CleanDataRefactored, { inputs: { raw }, config: { threshold: 0.5 } });
    const again = await tracker.run(Summarize, { inputs: { cleaned: refactored.outputs.cleaned } });
    print(`3. early cut-off: upstream ${refactored.cacheMissReason?.reason} but same bytes -> downstream ` +
      `cacheHit=${again.cacheHit} (reused ${again.run.reusedRunId === summary.run.id ? 'the first summary' : '?'})`);

    const changed = await tracker.run(CleanData, { inputs: { raw }, config: { threshold: 0.8 } });
    const why = changed.cacheMissReason;
    print(`4. miss: cacheHit=${changed.cacheHit}, reason=${why?.reason}, keys=${why?.details.configKeysChanged?.join(',')}`);
  } finally {
    await tracker.close();
  }
}

if (require.main === module) {
  main(process.argv[2] ?? './runs-caching-example').catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
