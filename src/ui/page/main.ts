import { api, ApiError } from './api';
import { h, mount } from './dom';
import { renderData } from './data-view';
import { renderLineage } from './lineage-view';
import { renderDiff, renderRun } from './run-view';
import { renderRuns, renderScenarios } from './runs-view';

/** Hash routes of the page: `#/`, `#/scenarios`, `#/run/<id>`, `#/diff/<a>/<b>`, `#/lineage/<run|artifact>/<id>`, `#/data`. */
async function route(): Promise<void> {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('data-nav') === (parts[0] ?? 'runs')));
  document.getElementById('app')?.setAttribute('aria-busy', 'true');
  try {
    if (parts.length === 0) return await renderRuns();
    if (parts[0] === 'scenarios') return await renderScenarios();
    if (parts[0] === 'run' && parts[1]) return await renderRun(parts[1]);
    if (parts[0] === 'diff' && parts[1] && parts[2]) return await renderDiff(parts[1], parts[2]);
    if (parts[0] === 'lineage' && (parts[1] === 'run' || parts[1] === 'artifact') && parts[2]) return await renderLineage(parts[1], parts[2]);
    if (parts[0] === 'data') return await renderData();
    mount(h('div', { class: 'error-box', id: 'not-found' }, `No page at #/${parts.join('/')}. `, h('a', { href: '#/' }, 'Back to the runs')));
  } catch (err) {
    const notFound = err instanceof ApiError && err.status === 404;
    mount(h('div', { class: 'error-box', id: notFound ? 'not-found' : 'page-error' },
      err instanceof ApiError ? `${err.code}: ${err.message}` : `Error: ${String(err)}`, ' ', h('a', { href: '#/' }, 'Back to the runs')));
  }
}

let seen = '';

/** Polls `/api/version` and re-renders the runs table or scenario tree when runs arrive or finish. */
async function poll(): Promise<void> {
  const status = document.getElementById('status') as HTMLElement;
  try {
    const v = await api<{ runs: number; latest: string | null; running: number }>('version');
    const key = `${v.runs}|${v.latest}|${v.running}`;
    const onList = ['', '#/', '#/scenarios'].includes(location.hash);
    if (seen && key !== seen && onList) await route();
    seen = key;
    status.textContent = `${v.runs} runs${v.running ? ` · ${v.running} running` : ''} · checked ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    status.textContent = err instanceof ApiError ? `${err.code}: retrying…` : 'server unreachable: retrying…';
  }
}

window.addEventListener('hashchange', () => void route());
void route();
void poll();
setInterval(() => void poll(), 3000);
