import { api, type Run, type RunsPage } from './api';
import { cacheBadge, duration, h, link, mount, runHref, statusEl, when } from './dom';

/** The runs table's filters and page, kept across visits and refreshes. */
const state: { model: string; status: string; scenario: string; year: string; hit: string; text: string; offset: number } = {
  model: '', status: '', scenario: '', year: '', hit: '', text: '', offset: 0,
};
const PAGE = 50;

function row(run: Run): HTMLTableRowElement {
  return h('tr', { class: 'clickable', 'data-run-id': run.id, onclick: () => { location.hash = runHref(run.id); } },
    h('td', {}, link(runHref(run.id), run.id, { class: 'mono' })),
    h('td', {}, run.name),
    h('td', {}, run.model ?? '–'),
    h('td', {}, statusEl(run.status)),
    h('td', {}, run.year ?? '–'),
    h('td', {}, when(run.startedAt)),
    h('td', {}, duration(run.durationMs)),
    h('td', {}, cacheBadge(run), run.cacheHit && run.reusedRunId ? h('span', { class: 'mono' }, ` ← ${run.reusedRunId}`) : null),
    h('td', {}, run.parentRunId ? link(runHref(run.parentRunId), run.parentRunId, { class: 'mono' }) : '–'));
}

function input(name: keyof typeof state, placeholder: string): HTMLInputElement {
  return h('input', { name, placeholder, value: String(state[name]), 'aria-label': placeholder });
}

function select(name: 'status' | 'hit', options: Array<[string, string]>): HTMLSelectElement {
  const el = h('select', { name, 'aria-label': name });
  for (const [value, text] of options) el.append(h('option', { value, selected: state[name] === value }, text));
  return el;
}

function filterForm(reload: () => void): HTMLFormElement {
  const form = h('form', { class: 'filters', role: 'search' },
    input('text', 'search id, name, model'), input('model', 'model'),
    select('status', [['', 'any status'], ['completed', 'completed'], ['failed', 'failed'], ['running', 'running']]),
    input('scenario', 'scenario (parent run id)'), input('year', 'year'),
    select('hit', [['', 'hit or miss'], ['true', 'cache hits'], ['false', 'executed']]),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    for (const k of ['text', 'model', 'status', 'scenario', 'year', 'hit'] as const) state[k] = String(data.get(k) ?? '').trim();
    state.offset = 0;
    reload();
  });
  return form;
}

/** The runs page (`#/`): filters, a table of runs newest first, a pager. */
export async function renderRuns(): Promise<void> {
  const table = h('table', { id: 'runs-table' },
    h('thead', {}, h('tr', {}, ...['ID', 'Name', 'Model', 'Status', 'Year', 'Started', 'Duration', 'Cache', 'Scenario'].map((t) => h('th', {}, t)))));
  const body = h('tbody');
  table.append(body);
  const pager = h('div', { class: 'pager' });
  const notice = h('p', { id: 'runs-notice', class: 'notice', hidden: true });
  const load = async () => {
    const page = await api<RunsPage>('runs', {
      model: state.model, status: state.status, scenario: state.scenario, year: state.year, hit: state.hit, text: state.text, limit: PAGE, offset: state.offset,
    });
    notice.textContent = page.notice ?? '';
    notice.hidden = !page.notice;
    body.replaceChildren(...page.runs.map(row));
    if (page.runs.length === 0) body.append(h('tr', {}, h('td', { colspan: 9 }, 'No runs match.')));
    const last = Math.min(page.offset + page.runs.length, page.total);
    pager.replaceChildren(
      h('button', { disabled: page.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); void load(); } }, '← Newer'),
      h('span', { id: 'runs-count' }, `${page.total ? page.offset + 1 : 0}–${last} of ${page.total}`),
      h('button', { disabled: last >= page.total, onclick: () => { state.offset += PAGE; void load(); } }, 'Older →'));
  };
  mount(h('h1', {}, 'Runs'), notice, filterForm(() => void load()), table, pager);
  await load();
}

/** The scenario tree (`#/scenarios`): top-level runs with their steps, hits marked with their source. */
export async function renderScenarios(): Promise<void> {
  const tops = await api<RunsPage>('runs', { topLevel: true, limit: 100 });
  const tree = h('div', { class: 'tree', id: 'scenario-tree' });
  mount(h('h1', {}, 'Scenarios'), tree);
  for (const top of tops.runs) {
    const steps = await api<RunsPage>('runs', { scenario: top.id, limit: 500 });
    const list = h('ul', {});
    for (const s of [...steps.runs].reverse()) {
      list.append(h('li', {}, link(runHref(s.id), s.name), ' ', statusEl(s.status), ' ', cacheBadge(s),
        s.cacheHit && s.reusedRunId ? h('span', {}, ' from ', link(runHref(s.reusedRunId), s.reusedRunId, { class: 'mono' })) : null));
    }
    tree.append(h('details', { open: steps.runs.length > 0 },
      h('summary', {}, link(runHref(top.id), top.name), ' ', statusEl(top.status), ` · ${steps.total} step(s) · ${when(top.startedAt)}`), list));
  }
  if (tops.runs.length === 0) tree.append('No runs yet.');
}
