/**
 * Shared machinery of the generated bad-input suite (issue 7 item 4): a seeded tracker per
 * describe, a fingerprint of everything a failing call must leave alone (the `run`, `artifact` and
 * `run_artifact_link` rows and every file under the runs folder except the DuckDB files), and the
 * case runner every table goes through.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isConsistError } from '../../../src/index';
import type { Tracker } from '../../../src/index';
import type { Artifact } from '../../../src/index';
import type { TrackerOptions } from '../../../src/index';
import { openTestTracker, tmpWorkspace, type Workspace } from '../../helpers/workspace';

/** Everything a rejected call must leave unchanged. */
export interface StateFingerprint {
  runs: unknown[];
  artifacts: unknown[];
  links: unknown[];
  /** Views and tables of the DuckDB catalog (schema.name). */
  catalog: unknown[];
  files: Record<string, string>;
}

/** One generated case: `code` is the stable ConsistError code expected, or `null` when the input is valid. */
export interface Case<C> {
  name: string;
  call: (ctx: C) => Promise<unknown>;
  code: string | null;
  /** For valid inputs: extra assertions on the result. */
  check?: (result: unknown, ctx: C) => Promise<void> | void;
  /** The call may record one new `failed` run with this id (a step that failed while running); nothing older changes. */
  failedRun?: string;
}

/** A seeded tracker and the things cases refer to. */
export interface Seeded {
  ws: Workspace;
  tracker: Tracker;
  /** A valid CSV input (`data/raw.csv`, mounted as `inputs://raw.csv`). */
  csv: string;
  /** An artifact produced by the seeded function step (a Parquet file). */
  produced: Artifact;
  /** The artifact logged by the seeded manual run. */
  logged: Artifact;
  mountRoot: string;
}

const DB_FILE = /\.duckdb(\.wal)?$|\.lock$/;

/** Relative path → sha256 of every file under `root` except the DuckDB files. */
export function hashTree(root: string, rel = '', out: Record<string, string> = {}): Record<string, string> {
  let entries: string[];
  try {
    entries = readdirSync(path.join(root, rel));
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const abs = path.join(root, r);
    const st = statSync(abs);
    if (st.isDirectory()) hashTree(root, r, out);
    else if (st.isFile() && !DB_FILE.test(name)) out[r] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    else if (!st.isFile()) out[r] = 'special';
  }
  return out;
}

/** The DB rows and file hashes a failing call must not change. */
export async function fingerprint(tracker: Tracker): Promise<StateFingerprint> {
  return {
    runs: await tracker.sql('SELECT * FROM run ORDER BY id'),
    artifacts: await tracker.sql('SELECT * FROM artifact ORDER BY id'),
    links: await tracker.sql('SELECT * FROM run_artifact_link ORDER BY run_id, artifact_id, direction'),
    catalog: await tracker.sql(`SELECT schema_name || '.' || view_name AS name FROM duckdb_views() WHERE NOT internal
      UNION ALL SELECT schema_name || '.' || table_name || ':' || estimated_size FROM duckdb_tables() ORDER BY 1`),
    files: hashTree(tracker.runDir),
  };
}

/** `after` without the new failed run and what it alone added (its folder, links and new input records). */
function withoutRun(after: StateFingerprint, before: StateFingerprint, runId: string): StateFingerprint {
  const notRun = (r: unknown) => (r as { id?: string; run_id?: string }).id !== runId && (r as { run_id?: string }).run_id !== runId;
  const ids = (rows: unknown[]) => new Set(rows.map((r) => (r as { id?: string; artifact_id?: string }).id ?? (r as { artifact_id?: string }).artifact_id));
  const known = ids(before.artifacts);
  const itsOwn = ids(after.links.filter((l) => !notRun(l)));
  const artifacts = after.artifacts.filter((a) => notRun(a) && (known.has((a as { id: string }).id) || !itsOwn.has((a as { id: string }).id)));
  const files = Object.fromEntries(Object.entries(after.files).filter(([f]) => !f.startsWith(`${runId}/`)));
  return { runs: after.runs.filter(notRun), artifacts, links: after.links.filter(notRun), catalog: before.catalog, files };
}

/** Runs one case against `ctx` and asserts its contract. */
export async function runCase<C extends { tracker: Tracker }>(c: Case<C>, ctx: C): Promise<void> {
  const before = await fingerprint(ctx.tracker);
  const activeBefore = ctx.tracker.currentRun?.id;
  let result: unknown;
  let error: unknown;
  try {
    result = await c.call(ctx);
  } catch (err) {
    error = err;
  }
  if (c.code === null) {
    if (error !== undefined) throw error;
    await c.check?.(result, ctx);
    return;
  }
  if (error === undefined) throw new Error(`expected ${c.code}, but the call succeeded with ${describe(result)}`);
  if (!isConsistError(error)) {
    throw new Error(`expected ConsistError ${c.code}, got a raw ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`);
  }
  expect(error.code).toBe(c.code);
  expect(ctx.tracker.currentRun?.id).toBe(activeBefore);
  const after = await fingerprint(ctx.tracker);
  if (c.failedRun) {
    const failed = await ctx.tracker.getRun(c.failedRun);
    expect(failed?.status).toBe('failed');
    expect(withoutRun(after, before, c.failedRun)).toEqual(before);
  } else {
    expect(after).toEqual(before);
  }
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Registers a table of cases as `it.each` under the current describe. */
export function eachCase<C extends { tracker: Tracker }>(cases: readonly Case<C>[], ctx: () => C): void {
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
  }
  it.each(cases.map((c) => [c.code ?? 'ok', c.name, c] as const))('%s: %s', async (_code, _name, c) => {
    await runCase(c, ctx());
  });
}

/**
 * Opens a tracker in a fresh workspace, seeded with a manual run (an input and an output artifact,
 * tags and a facet) and a completed function step producing a Parquet output.
 */
export async function openSeeded(opts: Partial<TrackerOptions> = {}): Promise<Seeded> {
  const ws = tmpWorkspace('consist-bad-input-');
  const csv = ws.file('data/raw.csv', 'id,value\n1,10\n2,20\n3,30\n');
  const mountRoot = ws.path('data');
  const tracker = await openTestTracker(ws, { mounts: { inputs: mountRoot }, ...opts });
  let logged!: Artifact;
  await tracker.startRun('seed_manual', { model: 'asim', year: 2020, tags: ['base'], facet: { alpha: 1, label: 'x' } }, async () => {
    await tracker.logArtifact(csv, { key: 'raw', direction: 'input' });
    logged = await tracker.logArtifact(ws.file('data/notes.json', '[{"a":1},{"a":2}]'), { key: 'notes' });
  });
  const step = await tracker.run({
    name: 'seed_step', runId: 'seed_step', inputs: { raw: csv }, outputs: ['cleaned'], config: { threshold: 0.5 },
    facet: { alpha: 2 }, year: 2030,
    fn: async () => ({ cleaned: [{ id: 1, v: 1.5 }, { id: 2, v: 2.5 }] }),
  });
  return { ws, tracker, csv, produced: step.outputs.cleaned, logged, mountRoot };
}

/** Closes the tracker and removes the workspace. */
export async function closeSeeded(s: Seeded | undefined): Promise<void> {
  await s?.tracker.close();
  s?.ws.cleanup();
}
