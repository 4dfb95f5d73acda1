import { spawn } from 'node:child_process';
import { SweepError } from '../errors';

/** What one Slurm client command printed. */
export interface CommandResult { code: number | null; stdout: string; stderr: string; missing: boolean }

/** Runs a Slurm client (`sbatch`, `squeue`, `scontrol`, `scancel`) with a deadline; never throws. */
export function slurmCommand(argv: readonly string[], timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    // env passed explicitly: the caller's current process.env (SLURM_CONF included), not a snapshot.
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: { ...process.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout, stderr: stderr || err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code, signal) =>
      resolve({ code, stdout, stderr: signal ? `${stderr}\n(${argv[0]} killed by ${signal} after ${timeoutMs} ms)` : stderr, missing: false }));
  });
}

const UNREACHABLE = /unable to contact slurm controller|connection refused|could not establish a configuration source|socket timed out|zero bytes were transmitted|slurm_load_.*error|killed by SIG/i;

/** Submits with `sbatch --parsable`; returns the job id or throws `SLURM_UNAVAILABLE` / `SLURM_SUBMIT_REJECTED`. */
export async function sbatch(args: readonly string[]): Promise<string> {
  const argv = ['sbatch', '--parsable', ...args];
  const r = await slurmCommand(argv);
  if (r.missing) throw SweepError.slurmUnavailable('sbatch is not installed or not on PATH', 'sbatch');
  if (r.code !== 0) {
    if (UNREACHABLE.test(r.stderr)) throw SweepError.slurmUnavailable(r.stderr, 'sbatch');
    throw SweepError.submitRejected(r.stderr, argv);
  }
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw SweepError.submitRejected(`unexpected sbatch output: ${r.stdout}${r.stderr}`, argv);
  return id;
}

/** One line of `squeue -r -t all`: an array task (`123_4`) or a plain job, with its state. */
export interface TaskState { id: string; state: string; reason: string }

/** States of every task of `jobId` still known to slurmctld; `undefined` when squeue failed. */
export async function squeueTasks(jobId: string): Promise<TaskState[] | undefined> {
  const r = await slurmCommand(['squeue', '-h', '-r', '-t', 'all', '-j', jobId, '-o', '%i|%T|%r'], 30_000);
  if (r.code !== 0) return r.stderr.includes('Invalid job id') ? [] : undefined;
  return r.stdout.split('\n').filter((l) => l.includes('|')).map((l) => {
    const [id, state, reason] = l.trim().split('|');
    return { id, state, reason };
  });
}

/** `ExitCode=code:signal` of a finished job or task from `scontrol show job` (within MinJobAge). */
export async function exitCodeOf(taskId: string): Promise<{ exitCode: number | null; signal: number | null }> {
  const r = await slurmCommand(['scontrol', 'show', 'job', taskId], 30_000);
  const m = /ExitCode=(\d+):(\d+)/.exec(r.stdout);
  return m ? { exitCode: Number(m[1]), signal: Number(m[2]) } : { exitCode: null, signal: null };
}

/** `scancel` a job (all its array tasks); errors are ignored (the job may be gone already). */
export async function scancel(jobId: string): Promise<void> {
  await slurmCommand(['scancel', jobId], 30_000);
}
