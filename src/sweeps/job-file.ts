import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SweepError } from '../errors';

/** Tracker settings a worker must share with the submitter so that both compute the same signatures. */
export interface WorkerTrackerSettings {
  runDir: string;
  dbPath: string;
  codeIdentity: 'git' | 'class-source';
  projectRoot: string;
  cacheEpoch: number;
  hashing: 'full' | 'fast';
  mounts: Record<string, string>;
  parquetCompression: string;
}

/** What `consist worker <job.json>` reads: which step, which item, which runs folder. */
export interface SweepJobFile {
  version: 1;
  sweepId: string;
  index: number;
  /** Absolute path (or package specifier) of the module exporting the step class. */
  module: string;
  exportName: string;
  tracker: WorkerTrackerSettings;
  /** The item: `RunStepOptions` as JSON (config, inputs, year, …, parentRunId). */
  item: Record<string, unknown>;
  /** Where the worker writes its {@link SweepWorkerResult}. */
  resultPath: string;
}

/** What a worker writes when it ends normally (a killed worker writes nothing). */
export interface SweepWorkerResult {
  status: 'completed' | 'failed';
  runId?: string;
  cacheHit?: boolean;
  error?: { code?: string; name?: string; message: string };
}

/** Writes JSON via a temp file and rename, so readers never see half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 2));
  await fs.rename(tmp, file);
}

/** Reads JSON, or `undefined` when the file does not exist or does not parse. */
export async function readJsonIfAny<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads and checks a job file; `SWEEP_JOB_INVALID` when it is missing or malformed. */
export async function readJobFile(file: string): Promise<SweepJobFile> {
  let job: SweepJobFile;
  try {
    job = JSON.parse(await fs.readFile(file, 'utf8')) as SweepJobFile;
  } catch (err) {
    throw SweepError.jobInvalid(file, (err as Error).message);
  }
  const ok = job && job.version === 1 && typeof job.module === 'string' && typeof job.exportName === 'string' &&
    typeof job.resultPath === 'string' && typeof job.tracker?.runDir === 'string' && typeof job.item === 'object' && job.item !== null;
  if (!ok) throw SweepError.jobInvalid(file, 'expected { version: 1, module, exportName, tracker: { runDir, … }, item, resultPath }');
  return job;
}

/** The last `lines` lines of a text file (for failure reports); empty when it cannot be read. */
export async function tailLines(file: string | null, lines = 20): Promise<string[]> {
  if (!file) return [];
  try {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const len = Math.min(size, 16_384);
      const buf = Buffer.alloc(len);
      await handle.read(buf, 0, len, size - len);
      return buf.toString('utf8').split('\n').filter((l) => l.trim()).slice(-lines);
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}
