import { RunError, RunNotFoundError } from '../errors';
import type { SnapshotStore } from '../journal/snapshot-store';
import type { Artifact, Run, RunKind } from '../model';
import type { RunLookup } from '../provenance/run-repository';
import { pathExists } from '../util/fs';

/**
 * Separator between a run name and its execution number: the second execution of `model_2030`
 * is `model_2030~2`. `~` is outside the characters a user id may use, so an execution id never
 * collides with a name someone chose.
 */
export const EXECUTION_SEPARATOR = '~';
const EXECUTION = /^(.+)~(\d+)$/;

/** The name an execution id belongs to: `model_2030~2` → `model_2030`; a plain id is its own name. */
export function nameOfExecution(id: string): string {
  return EXECUTION.exec(id)?.[1] ?? id;
}

/** The id of the `n`-th execution of `name` (1-based): the first keeps the name itself. */
export function executionId(name: string, n: number): string {
  return n <= 1 ? name : `${name}${EXECUTION_SEPARATOR}${n}`;
}

/** The execution number of an id: `model_2030` → 1, `model_2030~3` → 3. */
export function executionNumber(id: string): number {
  const m = EXECUTION.exec(id);
  return m ? Number(m[2]) : 1;
}

/** What a new execution under a name will be: compared with the newest execution already there. */
export interface NameClaim {
  kind: RunKind;
  model: string | null;
  /** The new run's signature; a completed newest execution with the same one is returned instead. */
  signature?: string | null;
  /** Skip the kind/model check (ids the library derived, e.g. a scenario step's). */
  anyKind?: boolean;
  /** Default true: hold the new id in this process until it is on disk (false when nothing will be persisted). */
  reserve?: boolean;
}

/** The id a new execution gets, or the completed execution with the same identity to return as is. */
export type ClaimResult = { id: string; reuse?: undefined } | { id: string; reuse: Run };

/**
 * Run ids as names users choose (API.md §10). A name's executions are `name`, `name~2`, `name~3`,
 * … — each its own run record, snapshot and folder, never overwritten. The name resolves to its
 * newest execution. Existence is read from the run lookup and the snapshot files (the JSON truth),
 * so it holds in every lock mode and for runs the DB has not committed yet.
 */
export class RunNames {
  /** Ids handed out by {@link claim} in this process: concurrent calls never get the same one. */
  private readonly reserved = new Set<string>();

  constructor(private readonly runs: RunLookup, private readonly snapshots: SnapshotStore) {}

  /** Execution ids of `name`, oldest first; empty when nothing ran under it. */
  async executions(name: string, askDb = true): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 1; await this.exists(executionId(name, n), askDb); n++) ids.push(executionId(name, n));
    return ids;
  }

  /**
   * The id of the newest execution of a name; an execution id as given, except `<name>~1`, the
   * explicit id of the first execution (whose record id is the name itself); an unknown name as given.
   */
  async resolve(id: string): Promise<string> {
    if (EXECUTION.test(id)) return executionNumber(id) === 1 ? nameOfExecution(id) : id;
    return (await this.executions(id)).at(-1) ?? id;
  }

  /** Every execution of the name `id` belongs to, newest first; `RUN_NOT_FOUND` when there is none. */
  async history(id: string): Promise<Run[]> {
    const name = nameOfExecution(id);
    const ids = await this.executions(name);
    if (!ids.length) throw new RunNotFoundError(`id '${id}'`);
    const runs: Run[] = [];
    for (const execution of ids.reverse()) {
      const run = await this.read(execution);
      if (run) runs.push(run);
    }
    return runs;
  }

  /**
   * Decides what a call under a taken name does, before anything is recorded: the newest
   * execution is returned when it completed with the same signature; otherwise a new execution id
   * is allocated. A name taken by a run of another kind or model is `RUN_ID_CONFLICT`.
   */
  async claim(name: string, want: NameClaim): Promise<ClaimResult> {
    // A derived id needs no comparison: the snapshot files (the JSON truth) alone say which ids are
    // taken, so a scenario step does not open a DB unit (which would pass the read barrier and commit the queue).
    if (want.anyKind && !want.signature) return this.allocate(name, (await this.executions(name, false)).length + 1, want);
    const ids = await this.executions(name);
    if (!ids.length) return this.allocate(name, 1, want);
    const newest = await this.read(ids[ids.length - 1]);
    if (newest && !want.anyKind && (newest.kind !== want.kind || (newest.model ?? null) !== (want.model ?? null))) {
      throw RunError.nameTaken(name, { kind: newest.kind, model: newest.model ?? null }, { kind: want.kind, model: want.model ?? null });
    }
    if (newest?.status === 'completed' && want.signature && newest.signature === want.signature) return { id: newest.id, reuse: newest };
    return this.allocate(name, ids.length + 1, want);
  }

  /** The n-th execution id, or the next one another call in this process took meanwhile (synchronous: no interleaving). */
  private allocate(name: string, n: number, want: NameClaim): ClaimResult {
    let id = executionId(name, n);
    while (this.reserved.has(id)) id = executionId(name, ++n);
    if (want.reserve !== false) this.reserved.add(id);
    return { id };
  }

  /** The outputs a run recorded, keyed as the run used them (from its snapshot). */
  async outputsOf(id: string): Promise<Record<string, Omit<Artifact, 'path'>>> {
    const snap = await this.snapshots.read(id);
    return Object.fromEntries((snap?.artifacts ?? []).filter((a) => a.direction === 'output').map((a) => [a.key, a.artifact]));
  }

  /** Keeps only the newest execution of each name among `runs` (order kept). */
  newestOnly(runs: readonly Run[]): Run[] {
    const newest = new Map<string, number>();
    for (const r of runs) {
      const name = nameOfExecution(r.id);
      newest.set(name, Math.max(newest.get(name) ?? 0, executionNumber(r.id)));
    }
    return runs.filter((r) => newest.get(nameOfExecution(r.id)) === executionNumber(r.id));
  }

  private async exists(id: string, askDb = true): Promise<boolean> {
    if (this.reserved.has(id) || (await pathExists(this.snapshots.snapshotPath(id)))) return true;
    return askDb && (await this.runs.get(id)) !== undefined;
  }

  private async read(id: string): Promise<Run | undefined> {
    return (await this.runs.get(id)) ?? (await this.snapshots.read(id))?.run;
  }
}
