import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Tracker } from '../../../src/index';
import type { Fixture } from '../maintenance/fixture';
import { buildDist } from '../cli/run-cli';
import { CHROMIUM_PATH, describeWithChromium } from '../../helpers/chromium';
import { makeUiFixture, startUi, type UiProcess } from './ui-fixture';

/** Screenshots land here (git-ignored via .tmp/). */
const SHOTS = path.resolve(__dirname, '../../../.tmp/ui-screenshots');

describeWithChromium('consist ui in a real browser (Playwright + Debian chromium)', () => {
  let fx: Fixture;
  let ui: UiProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    buildDist();
    mkdirSync(SHOTS, { recursive: true });
    fx = await makeUiFixture();
    ui = await startUi(['--port', '0', '--run-dir', fx.runDir], fx.ws.dir);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    fx?.ws.cleanup();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterEach(async () => {
    await page?.close();
  });

  it('lists the runs in the runs table, newest first, and filters them', async () => {
    await page.goto(ui.url);
    await page.locator('#runs-table tbody tr[data-run-id]').first().waitFor();
    const ids = await page.locator('#runs-table tbody tr[data-run-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
    expect([...ids].sort()).toEqual(['boom', 'r1', 'r2', 'r3', 'sq1', 'sq1-again', 'sq2']);
    await expect(page.locator('#runs-count').textContent()).resolves.toBe('1–7 of 7');
    await shot('runs');
    await page.locator('select[name=status]').selectOption('failed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('#runs-count', { hasText: 'of 1' }).waitFor();
    expect(await page.locator('#runs-table tbody tr[data-run-id]').count()).toBe(1);
    expect(errors).toEqual([]);
  }, 60_000);

  it('opens a run page from the table and shows the changed config key of a miss', async () => {
    await page.goto(ui.url);
    await page.locator('tr[data-run-id="sq2"]').click();
    await page.locator('#run-id', { hasText: 'sq2' }).waitFor();
    await expect(page.locator('#miss-explanation .changed-key').allTextContents()).resolves.toEqual(['alpha']);
    await expect(page.locator('tr[data-config-key="alpha"] code.changed').count()).resolves.toBe(1);
    await shot('run-miss');
    expect(errors).toEqual([]);
  }, 60_000);

  it('draws the lineage graph and navigates by clicking a node', async () => {
    await page.goto(`${ui.url}#/lineage/run/r3`);
    await page.locator('[data-node-id="run:r3"]').waitFor();
    const nodes = await page.locator('svg.lineage [data-node-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    expect(nodes).toEqual(expect.arrayContaining(['run:r3', 'run:r2', 'run:r1', `artifact:${fx.artifacts.summary}`]));
    expect(await page.locator('svg.lineage path.edge').count()).toBeGreaterThanOrEqual(4);
    await shot('lineage');
    await page.getByRole('button', { name: '1:1' }).click();
    await page.getByRole('button', { name: 'Fit to width' }).waitFor();
    await page.locator('[data-node-id="run:r2"]').click();
    await page.locator('#run-id', { hasText: 'r2' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows a hit with its source run in the scenario tree and a failed run styled in the graph', async () => {
    await page.goto(`${ui.url}#/scenarios`);
    await page.locator('#scenario-tree').waitFor();
    await page.locator('#scenario-tree summary', { hasText: 'r1' }).waitFor();
    await page.goto(`${ui.url}#/lineage/run/boom`);
    await page.locator('[data-node-id="run:boom"].failed').waitFor();
    await page.goto(`${ui.url}#/run/sq1-again`);
    await page.locator('#reused-from', { hasText: 'sq1' }).waitFor();
    expect(errors).toEqual([]);
  }, 60_000);

  it('runs read-only SQL in the data tab and shows a refusal', async () => {
    await page.goto(`${ui.url}#/data`);
    await page.getByRole('button', { name: 'Run (read-only)' }).click();
    await page.locator('#sql-result table.rows tbody tr').first().waitFor();
    await page.locator('textarea[name=sql]').fill('DELETE FROM run');
    await page.getByRole('button', { name: 'Run (read-only)' }).click();
    await page.locator('#sql-result .error-box', { hasText: 'UI_SQL_NOT_READ_ONLY' }).waitFor();
    // The refused request is a 400, which Chromium logs as a failed resource load: nothing else.
    expect(errors.filter((e) => !/Failed to load resource.*400/.test(e))).toEqual([]);
  }, 60_000);

  it('shows a not-found page for an unknown run, not a crash', async () => {
    await page.goto(`${ui.url}#/run/no-such-run`);
    await page.locator('#not-found', { hasText: 'RUN_NOT_FOUND' }).waitFor();
    expect(errors.filter((e) => !/Failed to load resource.*404/.test(e))).toEqual([]);
  }, 60_000);

  it('lists the runs from the journal, with a notice, while another process holds the database exclusively', async () => {
    const holder = await Tracker.open({ runDir: fx.runDir, lockMode: 'exclusive', codeIdentity: 'class-source' });
    try {
      await page.goto(ui.url);
      await page.locator('#runs-notice', { hasText: 'another process' }).waitFor();
      await page.locator('#runs-count', { hasText: 'of 7' }).waitFor();
      await shot('runs-journal');
    } finally {
      await holder.close();
    }
    // The version poll may meet the lock too: it is answered from the journal, so nothing fails.
    expect(errors).toEqual([]);
  }, 60_000);
});
