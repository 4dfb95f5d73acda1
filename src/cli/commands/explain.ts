import type { Command } from 'commander';
import type { Tracker } from '../../tracker/tracker';
import type { StoreFlags } from '../config';
import { addStoreOptions, requireRun, withTracker } from '../context';
import { formatNested, print, toJson } from '../format';

/** The facade method the cache layer adds; absent in builds without it. */
type Explainer = { explainCacheMiss?: (runId: string) => Promise<unknown> };

/** Why a run missed the cache: through `tracker.explainCacheMiss`, else what the run recorded in its meta. */
export async function cacheMissExplanation(tracker: Tracker, runId: string): Promise<unknown> {
  const run = await requireRun(tracker, runId);
  const explain = (tracker as unknown as Explainer).explainCacheMiss;
  if (typeof explain === 'function') return (await explain.call(tracker, runId)) ?? null;
  return run.meta.cacheMissExplanation ?? null;
}

/** `consist explain <run>`: which of code, config (which keys) or inputs changed against the closest earlier run. */
export function registerExplainCommand(program: Command): void {
  addStoreOptions(program.command('explain')
    .description('explain why a run missed the cache')
    .argument('<run>', 'run id')
    .option('--json', 'print JSON'))
    .action(async (runId: string, flags: StoreFlags & { json?: boolean }) => {
      const explanation = await withTracker(flags, (t) => cacheMissExplanation(t, runId));
      if (flags.json) print(toJson(explanation));
      else if (explanation === null) print(`Run '${runId}' has no cache-miss explanation (a cache hit, or a run without a signature).`);
      else print(formatNested(explanation));
    });
}
