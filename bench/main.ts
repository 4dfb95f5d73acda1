import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import 'reflect-metadata';
import { cacheHitBench } from './cache-hit';
import { cacheHitChainedBench } from './cache-hit-chained';
import { cliStartupBench } from './cli-startup';
import { applyOverrides, DEFAULT_SIZES, QUICK_SIZES, type Bench, type BenchContext } from './context';
import { buildReport, formatTable, writeReport, type BenchResult } from './harness';
import { hashingBench } from './hashing';
import { hybridViewBench } from './hybrid-view';
import { ingestionBench } from './ingestion';
import { scaleQueriesBench } from './scale-queries';
import { manyFilesBench } from './many-files';
import { openStartupBench } from './open-startup';
import { smallStepBench } from './small-step';
import { tableOutputBench } from './table-output';
import { sweepBench } from './sweep';
import { uiApiBench } from './ui-api';
import { formatsBench } from './formats';
import { formatViewsBench } from './format-views';
import { pandasBench } from './pandas';

/** Every bench, in the order they run. */
export const BENCHES: readonly Bench[] = [
  cliStartupBench, hashingBench, cacheHitBench, cacheHitChainedBench, smallStepBench, tableOutputBench, ingestionBench, hybridViewBench,
  manyFilesBench, scaleQueriesBench, openStartupBench, uiApiBench, formatsBench, formatViewsBench, pandasBench, sweepBench,
];

/** Parsed command line of `npm run bench -- …`. */
export interface BenchArgs {
  quick: boolean;
  only: string[] | null;
  sets: string[];
  out: string;
  workRoot: string;
  keep: boolean;
}

/** The package root: `dist-examples/bench/main.js` → two folders up. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

const USAGE = `usage: npm run bench -- [--quick] [--only a,b] [--set name=value …] [--out file] [--work dir] [--keep]
benches: ${BENCHES.map((b) => b.name).join(', ')}`;

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    quick: false, only: null, sets: [], out: path.join(PACKAGE_ROOT, 'bench', 'results', 'latest.json'),
    workRoot: path.join(os.tmpdir(), 'consist-bench'), keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--only') args.only = value().split(',');
    else if (a === '--set') args.sets.push(value());
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--work') args.workRoot = path.resolve(value());
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  return args;
}

/** A report row for a bench that threw: no numbers, not passed. */
export function failedResult(name: string, err: unknown): BenchResult {
  const message = err instanceof Error ? err.message : String(err);
  return { name: `${name} (error)`, ours: Number.NaN, floor: Number.NaN, unit: '-', ratio: Number.NaN, target: '-', pass: false,
    oursP95: Number.NaN, floorP95: Number.NaN, reps: 0, ratioMin: Number.NaN, ratioMax: Number.NaN, rounds: 0, note: message.split('\n')[0] };
}

/** `sync(1)`: flushes dirty pages of every file system (best effort; absent on some systems). */
function settleDisk(): void {
  try {
    execFileSync('sync', { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // no sync binary: the benches still run, only less isolated
  }
}

/** Runs the selected benches one after another and returns every result row. */
export async function runBenches(benches: readonly Bench[], args: BenchArgs): Promise<BenchResult[]> {
  const sizes = applyOverrides(args.quick ? QUICK_SIZES : DEFAULT_SIZES, args.sets);
  const results: BenchResult[] = [];
  for (const bench of benches) {
    const workDir = path.join(args.workRoot, bench.name);
    await fs.rm(workDir, { recursive: true, force: true });
    await fs.mkdir(workDir, { recursive: true });
    const ctx: BenchContext = {
      sizes, quick: args.quick, workDir, packageRoot: PACKAGE_ROOT,
      log: (m) => process.stderr.write(`  ${m}\n`),
    };
    // Isolation: the previous bench's deletes and writes (the hashing bench's 1 GiB file) are
    // written back now, not during this bench's fsyncs (which then measured the writeback).
    settleDisk();
    const t0 = Date.now();
    process.stderr.write(`▶ ${bench.name}\n`);
    const rows = await bench.run(ctx).catch((err: unknown): BenchResult[] => {
      process.stderr.write(`  FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      return [failedResult(bench.name, err)];
    });
    process.stderr.write(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    results.push(...rows);
    if (!args.keep) await fs.rm(workDir, { recursive: true, force: true });
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = (args.only ?? []).filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}\n${USAGE}`);
  const selected = BENCHES.filter((b) => !args.only || args.only.includes(b.name));
  const t0 = Date.now();
  const results = await runBenches(selected, args);
  const report = buildReport(results, args.quick);
  await writeReport(args.out, report);
  process.stdout.write(`${formatTable(results)}\n\n${report.machine.uname}\n${report.machine.nproc} cores, ${report.machine.cpu}, node ${report.machine.node}` +
    `\ntotal ${((Date.now() - t0) / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), args.out) || args.out}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
