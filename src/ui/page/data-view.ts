import { api, ApiError, type RowsResult } from './api';
import { h, mount } from './dom';

interface ListedView { name: string; schema: string; columns: number | null; sql: string }
interface ListedSchema { id: string; tableName: string | null; source: string | null; fields: number; artifacts: number }

/** Rows as a table. */
function rowsTable(r: RowsResult): HTMLElement {
  return h('div', {}, h('table', { class: 'rows' },
    h('thead', {}, h('tr', {}, ...r.columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...r.rows.map((row) => h('tr', {}, ...r.columns.map((c) => {
      const v = row[c];
      return h('td', { class: 'mono' }, v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    }))))),
  h('p', {}, `${r.rows.length} row(s)${r.truncated ? ' (more not shown)' : ''}`));
}

/** The data page (`#/data`): views with a preview, schemas, and the read-only SQL box. */
export async function renderData(): Promise<void> {
  const [views, schemas] = await Promise.all([api<ListedView[]>('views'), api<ListedSchema[]>('schemas')]);
  const out = h('div', { id: 'sql-result' });
  const preview = h('div', { id: 'view-preview' });
  const show = async (target: HTMLElement, run: () => Promise<RowsResult>) => {
    try {
      target.replaceChildren(rowsTable(await run()));
    } catch (err) {
      target.replaceChildren(h('div', { class: 'error-box' }, err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)));
    }
  };
  const text = h('textarea', { name: 'sql', 'aria-label': 'SQL' }, 'SELECT id, name, status, cache_hit FROM run ORDER BY started_at DESC LIMIT 20');
  const form = h('form', { class: 'sql-box' }, text, h('button', { type: 'submit' }, 'Run (read-only)'));
  form.addEventListener('submit', (e) => { e.preventDefault(); void show(out, () => api<RowsResult>('sql', { q: text.value, limit: 200 })); });
  const viewName = (v: ListedView) => (v.schema === 'main' ? v.name : `${v.schema}.${v.name}`);
  mount(
    h('h1', {}, 'Data'),
    h('h2', {}, `Views (${views.length})`),
    views.length ? h('table', {}, h('tbody', {}, ...views.map((v) => h('tr', { class: 'clickable', onclick: () => void show(preview, () =>
      api<RowsResult>(`views/${encodeURIComponent(viewName(v))}/preview`, { limit: 20 })) },
    h('td', {}, h('code', {}, viewName(v))), h('td', {}, `${v.columns ?? '?'} columns`), h('td', {}, 'preview →'))))) : h('p', {}, 'No views.'),
    preview,
    h('h2', {}, `Schemas (${schemas.length})`),
    schemas.length ? h('table', {}, h('thead', {}, h('tr', {}, ...['Id', 'Table', 'Source', 'Fields', 'Artifacts'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...schemas.map((s) => h('tr', {}, h('td', { class: 'mono' }, s.id.slice(0, 16)), h('td', {}, s.tableName ?? '–'),
        h('td', {}, s.source ?? '–'), h('td', {}, s.fields), h('td', {}, s.artifacts))))) : h('p', {}, 'No schemas recorded.'),
    h('h2', {}, 'SQL (SELECT only)'), form, out);
}
