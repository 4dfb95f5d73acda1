/** The JSON API client of the page, and the shapes it returns (see docs/ui.md). */

export interface Run {
  id: string; kind: string; name: string; model: string | null; parentRunId: string | null; status: string;
  year: number | null; iteration: number | null; tags: string[]; facet: Record<string, unknown> | null; config: unknown;
  signature: string | null; codeHash: string | null; configHash: string | null; inputHash: string | null;
  cacheHit: boolean; reusedRunId: string | null; meta: Record<string, unknown>;
  error: { message: string; name: string; code?: string } | null; startedAt: string; endedAt: string | null; durationMs: number | null;
}
export interface Artifact { id: string; key: string; uri: string; driver: string; hash: string | null; size: number | null; runId: string | null }
/** `source: 'journal'` (with a `notice`) while another process holds the database: runs read from the snapshots. */
export interface RunsPage { runs: Run[]; total: number; limit: number; offset: number; source?: 'database' | 'journal'; notice?: string }
export interface RunRef { id: string; name: string; status: string; cacheHit: boolean }
export interface MissExplanation {
  reason: string; comparedRunId: string | null; matchedComponents: string[]; mismatchedComponents: string[];
  details: { configKeysChanged?: string[]; runFieldsChanged?: string[]; inputsChanged?: Array<{ key: string; change: string }>; codeBefore?: string; codeAfter?: string };
}
export interface RunDetail {
  run: Run; identity: Array<{ name: string; value: unknown }>;
  inputs: Array<{ key: string; artifact: Artifact }>; outputs: Array<{ key: string; artifact: Artifact }>;
  reusedFrom: RunRef | null; missExplanation: MissExplanation | null; children: RunRef[];
}
export interface GraphNode {
  id: string; type: 'run' | 'artifact'; label: string; status: string | null; cacheHit: boolean; ref: string | null;
  rawId: string; truncated: boolean; detail: Record<string, unknown>;
}
export interface LineageGraph { root: string; depth: number; nodes: GraphNode[]; edges: Array<{ from: string; to: string }> }
export interface RowsResult { columns: string[]; rows: Array<Record<string, unknown>>; truncated: boolean }
export interface RunDiff {
  a: Run; b: Run; fields: Array<{ name: string; a: unknown; b: unknown }>; configKeysChanged: string[];
  artifacts: Array<{ direction: string; key: string; a: string | null; b: string | null }>;
}

/** An error the API answered with (`{ error: { code, message } }`). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** GETs `/api/<path>` with query parameters (empty ones left out). */
export async function api<T>(path: string, params: Record<string, string | number | boolean | undefined> = {}): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const res = await fetch(`/api/${path}${qs.size ? `?${qs}` : ''}`);
  const body = (await res.json()) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? 'INTERNAL', body.error?.message ?? res.statusText);
  return body;
}
