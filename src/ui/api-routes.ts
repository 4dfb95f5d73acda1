import { UiError } from '../errors';
import type { RunStatus } from '../model';
import { listSchemas, listViews, previewView, readOnlySql } from '../queries/catalog';
import { lineageGraph } from '../queries/lineage-graph';
import type { QuerySource } from '../queries/query-source';
import { diffRuns, runDetail } from '../queries/run-detail';
import { listRunsPage, runsVersion, type RunsPageQuery } from '../queries/runs-page';
import type { JournalRuns } from '../queries/journal-runs';
import { journalPage, journalVersion, orJournal } from './journal-fallback';

/** One API handler: the path's captures and the query string in, a JSON-able value out. */
type Handler = (source: QuerySource, m: RegExpExecArray, q: URLSearchParams, journal?: JournalRuns) => Promise<unknown>;

const int = (q: URLSearchParams, name: string): number | undefined => {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw UiError.badRequest(name, 'an integer');
  return Number(v);
};

const bool = (q: URLSearchParams, name: string): boolean | undefined => {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (['1', 'true', 'hit'].includes(v)) return true;
  if (['0', 'false', 'miss'].includes(v)) return false;
  throw UiError.badRequest(name, 'true or false (or hit / miss)');
};

const str = (q: URLSearchParams, name: string): string | undefined => q.get(name) || undefined;

const required = (q: URLSearchParams, name: string): string => {
  const v = q.get(name);
  if (!v) throw UiError.badRequest(name, 'given');
  return v;
};

const runsQuery = (q: URLSearchParams): RunsPageQuery => ({
  model: str(q, 'model'), status: str(q, 'status') as RunStatus | undefined, scenario: str(q, 'scenario'), year: int(q, 'year'),
  hit: bool(q, 'hit'), text: str(q, 'text'), topLevel: bool(q, 'topLevel'), limit: int(q, 'limit'), offset: int(q, 'offset'),
});

/** The JSON API (docs/ui.md): method GET, path pattern, handler. */
export const API_ROUTES: ReadonlyArray<[RegExp, Handler]> = [
  [/^\/api\/health$/, async () => ({ ok: true })],
  [/^\/api\/version$/, (s, _m, _q, j) => orJournal(() => runsVersion(s), j, journalVersion)],
  [/^\/api\/runs$/, (s, _m, q, j) => {
    const query = runsQuery(q);
    return orJournal(() => listRunsPage(s, query), j, journalPage(query));
  }],
  [/^\/api\/runs\/([^/]+)$/, (s, m) => runDetail(s, m[1])],
  [/^\/api\/artifacts\/([^/]+)$/, (s, m) => s.getArtifact(m[1])],
  [/^\/api\/diff$/, (s, _m, q) => diffRuns(s, required(q, 'a'), required(q, 'b'))],
  [/^\/api\/lineage$/, (s, _m, q) => lineageGraph(s, { run: str(q, 'run'), artifact: str(q, 'artifact'), depth: int(q, 'depth') })],
  [/^\/api\/views$/, (s) => listViews(s)],
  [/^\/api\/views\/([^/]+)\/preview$/, (s, m, q) => previewView(s, m[1], int(q, 'limit'))],
  [/^\/api\/schemas$/, (s) => listSchemas(s)],
  [/^\/api\/sql$/, (s, _m, q) => readOnlySql(s, required(q, 'q'), int(q, 'limit'))],
];

/** The handler of an API path with its (URI-decoded) captures, or undefined. */
export function matchApi(pathname: string): { handler: Handler; match: RegExpExecArray } | undefined {
  for (const [re, handler] of API_ROUTES) {
    const match = re.exec(pathname);
    if (match) {
      for (let i = 1; i < match.length; i++) {
        try {
          match[i] = decodeURIComponent(match[i]);
        } catch {
          throw UiError.badRequest('the path', 'valid URL encoding');
        }
      }
      return { handler, match };
    }
  }
  return undefined;
}
