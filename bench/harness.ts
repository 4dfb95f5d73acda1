import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Summary statistics of one series of timings, in milliseconds. */
export interface Timing {
  median: number;
  p95: number;
  samples: number[];
  /**
   * Median of each round of repetitions, in order (see {@link timePair}); absent for a series
   * that was not taken in rounds. Two series taken by one `timePair` have the same number of rounds.
   */
  rounds?: number[];
}

/** How many rounds {@link timePair} splits its repetitions into (at most one repetition short of this). */
export const ROUNDS = 5;

/** A pass criterion on `ratio = ours / floor`: at most (`<=`) or at least (`>=`) `value`. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One row of the report; `ours` and `floor` are medians in `unit`. */
export interface BenchResult {
  name: string;
  ours: number;
  floor: number;
  unit: string;
  ratio: number;
  /** The criterion as text, e.g. `<= 2` (ratio at most 2) or `>= 0.9` (throughput ratio). */
  target: string;
  pass: boolean;
  /** p95 of the same series (for throughputs: the throughput of the p95 time, i.e. the slow tail). */
  oursP95: number;
  floorP95: number;
  reps: number;
  /** Smallest and largest per-round ratio (the spread the median ratio was taken from). */
  ratioMin: number;
  ratioMax: number;
  /** Number of per-round ratios behind `ratio` (1 when the series had no rounds). */
  rounds: number;
  /** What `floor` means for this row, when it is not obvious from the name. */
  note?: string;
}

/** The JSON written to `bench/results/latest.json`. */
export interface BenchReport {
  machine: MachineInfo;
  date: string;
  quick: boolean;
  results: BenchResult[];
}

/** Where the numbers were taken. */
export interface MachineInfo {
  uname: string;
  nproc: number;
  cpu: string;
  node: string;
  memGiB: number;
}

/** Repetition settings of one measurement. */
export interface RepOptions {
  warmup: number;
  reps: number;
  /**
   * Called, untimed, before every timed call of either side (see {@link fullGc}): for pairs whose
   * reps each leave tens of MB of garbage, so that neither side pays for the other's.
   */
  settle?: () => void;
}

/** The `p`-th percentile (0–100) of `values`, linear interpolation between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Median and p95 of a series of timings. */
export function summarize(samples: readonly number[]): Timing {
  return { median: percentile(samples, 50), p95: percentile(samples, 95), samples: [...samples] };
}

/** Milliseconds taken by one call of `fn`. */
export async function timeOnce(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times `ours` and `floor` in the same process, warm-up first, then alternating repetitions in
 * ABBA order (ours, floor, floor, ours, ours, floor, …) so that drift (page cache, GC, thermal)
 * hits both series alike, and so does anything that recurs every other call: with plain
 * alternation a collection triggered by every second 32 MB allocation landed on the same side
 * each time (the OMX load read 1.21–1.27× in four full runs and 0.87–0.97× alone).
 */
export async function timePair(
  ours: () => Promise<unknown> | unknown,
  floor: () => Promise<unknown> | unknown,
  opts: RepOptions,
): Promise<{ ours: Timing; floor: Timing }> {
  for (let i = 0; i < opts.warmup; i++) {
    await ours();
    await floor();
  }
  const a: number[] = [];
  const b: number[] = [];
  const time = async (fn: () => Promise<unknown> | unknown): Promise<number> => {
    opts.settle?.();
    return timeOnce(fn);
  };
  for (let i = 0; i < opts.reps; i++) {
    if (i % 2 === 0) {
      a.push(await time(ours));
      b.push(await time(floor));
    } else {
      b.push(await time(floor));
      a.push(await time(ours));
    }
  }
  const n = Math.min(ROUNDS, opts.reps);
  return { ours: { ...summarize(a), rounds: roundMedians(a, n) }, floor: { ...summarize(b), rounds: roundMedians(b, n) } };
}

let gcFn: (() => void) | undefined;

/**
 * A full garbage collection, for {@link RepOptions.settle}. Both sides of a 32 MB-per-rep pair leave
 * a major collection due; V8 ran it inside whichever call next crossed a promise boundary, so the
 * async side (ours: `await OmxFile.open`) drew about twice as many as the sync floor (measured with
 * a `gc` PerformanceObserver: 18–21 against 6–16 in 60 reps, and the same with the floor wrapped in
 * an `async` function). Collecting before each rep makes each side pay only for its own work.
 */
export function fullGc(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** Splits `samples` into `n` contiguous rounds (sizes differing by at most one) and returns each round's median. */
export function roundMedians(samples: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    const from = Math.floor((r * samples.length) / n);
    const to = Math.floor(((r + 1) * samples.length) / n);
    if (to > from) out.push(percentile(samples.slice(from, to), 50));
  }
  return out;
}

/** Parses `<= 2` / `>= 0.9`. */
export function parseTarget(text: string): Target {
  const m = /^(<=|>=)\s*([0-9.]+)$/.exec(text.trim());
  if (!m) throw new Error(`bad target '${text}' (expected '<= n' or '>= n')`);
  return { op: m[1] as Target['op'], value: Number(m[2]) };
}

const round = (x: number, digits = 3): number => (Number.isFinite(x) ? Number(x.toPrecision(digits + 1)) : x);

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Report throughput (`amount / seconds`) instead of time; `unit` then names the amount per second. */
  throughputAmount?: number;
  unit?: string;
  note?: string;
}

/**
 * Turns two timing series into a report row. Time rows: `ratio = ours / floor` of the medians (ms).
 * Throughput rows: `ratio = ours / floor` of `amount / median seconds`, so a higher ratio is better.
 */
export function compare(name: string, ours: Timing, floor: Timing, target: string, opts: CompareOptions = {}): BenchResult {
  const t = parseTarget(target);
  const amount = opts.throughputAmount;
  const conv = (ms: number): number => (amount === undefined ? ms : amount / (ms / 1000));
  const o = conv(ours.median);
  const f = conv(floor.median);
  const perRound = roundRatios(ours, floor, conv);
  const ratio = perRound.length > 0 ? percentile(perRound, 50) : o / f;
  const pass = t.op === '<=' ? ratio <= t.value : ratio >= t.value;
  return {
    name, ours: round(o), floor: round(f), unit: opts.unit ?? 'ms', ratio: round(ratio, 2), target, pass,
    oursP95: round(conv(ours.p95)), floorP95: round(conv(floor.p95)), reps: ours.samples.length,
    ratioMin: round(perRound.length > 0 ? Math.min(...perRound) : ratio, 2),
    ratioMax: round(perRound.length > 0 ? Math.max(...perRound) : ratio, 2), rounds: Math.max(1, perRound.length),
    ...(opts.note ? { note: opts.note } : {}),
  };
}

/** Per-round ratios `ours / floor` (after `conv`) when both series were taken in the same number of rounds. */
function roundRatios(ours: Timing, floor: Timing, conv: (ms: number) => number): number[] {
  const a = ours.rounds;
  const b = floor.rounds;
  if (!a || !b || a.length !== b.length || a.length === 0) return [];
  return a.map((x, i) => conv(x) / conv(b[i]));
}

/** The machine the numbers were taken on. */
export function machineInfo(): MachineInfo {
  let uname = `${os.type()} ${os.hostname()} ${os.release()} ${os.arch()}`;
  try {
    uname = execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim();
  } catch {
    // not a POSIX system: keep the os module's description
  }
  return {
    uname, nproc: os.availableParallelism?.() ?? os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version, memGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Builds the report object. */
export function buildReport(results: readonly BenchResult[], quick: boolean, machine: MachineInfo = machineInfo(), date = new Date()): BenchReport {
  return { machine, date: date.toISOString(), quick, results: [...results] };
}

const fmt = (x: number): string => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(round(x)));

/** `min–max` of the per-round ratios, or `-` for a row without rounds. */
function spread(r: BenchResult): string {
  return r.rounds > 1 && Number.isFinite(r.ratioMin) ? `${r.ratioMin}–${r.ratioMax}` : '-';
}

/** The results as a fixed-width text table (one row per result). */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['bench', 'ours', 'ours p95', 'floor', 'floor p95', 'unit', 'ratio', 'spread', 'target', 'pass'];
  const rows = results.map((r) => [r.name, fmt(r.ours), fmt(r.oursP95), fmt(r.floor), fmt(r.floorP95), r.unit,
    `${r.ratio}×`, spread(r), r.target, r.pass ? 'yes' : 'NO']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 || c === 5 || c === 8 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The results as a Markdown table (for docs/performance.md). */
export function formatMarkdown(results: readonly BenchResult[]): string {
  const lines = ['| bench | ours (median) | ours p95 | floor (median) | floor p95 | unit | ratio (median of rounds) | spread | target | pass |',
    '|---|---:|---:|---:|---:|---|---:|---|---|---|'];
  for (const r of results) {
    lines.push(`| ${r.name} | ${fmt(r.ours)} | ${fmt(r.oursP95)} | ${fmt(r.floor)} | ${fmt(r.floorP95)} | ${r.unit} | ${r.ratio}× | ${spread(r)} | ${r.target} | ${r.pass ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n');
}

/** Writes the report as pretty JSON, creating the folder. */
export async function writeReport(file: string, report: BenchReport): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
