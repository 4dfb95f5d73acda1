import 'reflect-metadata';
import * as path from 'node:path';
import { rmSync } from 'node:fs';
import { Tracker } from '../src/index';

async function main() {
  const runDir = process.argv[2];
  rmSync(runDir, { recursive: true, force: true });
  const tracker = await Tracker.open({ runDir, codeIdentity: 'class-source' });
  await tracker.run({ name: 'model', runId: 'model_2030', year: 2030, model: 'asim', config: { alpha: 1 }, codeVersion: '1', outputs: ['trips'],
    fn: async () => ({ trips: [{ id: 1, n: 3 }, { id: 2, n: 5 }] }) });
  await tracker.startRun('baseline_init', { model: 'pilates' }, async () => undefined);
  await tracker.scenario('baseline', { model: 'pilates' }, async (sc) => {
    await sc.trace('prep', {}, async (ctx) => { await ctx.logTable([{ x: 1 }], { key: 'prep' }); });
  });
  await tracker.close();
  console.log('ok', path.resolve(runDir));
}
main().catch((e) => { console.error(e); process.exit(1); });
