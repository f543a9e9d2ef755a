import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import { axeViolations, collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });

type Probe = {
  heatMap: () => { kind: string | null; cols: number; rows: number };
  marks: () => Record<string, number>;
};
const probe = <K extends keyof Probe>(page: Page, key: K) =>
  page.evaluate(
    (k) => (window as unknown as { __design?: Probe }).__design?.[k]() ?? null,
    key,
  ) as Promise<ReturnType<Probe[K]> | null>;

const focusedTestId = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');

describe.skipIf(!hasChromium)('design mode: changes, what-if and export in a real browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let draftId = '';
  let movedX = 0;

  beforeAll(async () => {
    server = await startAppServer({ designs: true, training: true });
    browser = await launchChromium();
    // axe-core goes in as an inline script, which the server's CSP forbids.
    page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
      bypassCSP: true,
    });
    errors = collectErrors(page);
    await logIn(page, `${server.url}/design`, server.users.engineer);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('moves a robot 5 m and saves', async () => {
    await page.getByTestId('design-drafts').waitFor();
    await page.getByTestId('design-new-name').fill('What-if study');
    await page.getByTestId('design-new').click();
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    draftId = /\/design\/(d-[0-9a-f]{12})$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    expect(draftId).toMatch(/^d-/);
    await page.getByTestId('design-pick').selectOption('L1-R1');
    movedX = Number(await page.getByTestId('design-field-x').inputValue()) + 5;
    await page.getByTestId('design-field-x').fill(String(movedX));
    await page.getByTestId('design-field-x').press('Enter');
    // Saved as it is made (live editing).
    await poll(() => page.getByTestId('design-dirty').getAttribute('data-sync')).toBe('saved');
    await poll(() => page.getByTestId('design-dirty').getAttribute('data-dirty')).toBe('false');
  }, 90_000);

  it('lists the robot as moved 5 m in Changes, selects it on click and marks it in the view', async () => {
    await page.getByTestId('design-pick').selectOption('');
    await page.getByTestId('design-changes-toggle').click();
    const entry = page.getByTestId('change-moved-L1-R1');
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.textContent()).toContain('5.0 m');
    await entry.click();
    await poll(() => page.getByTestId('design-field-id').inputValue()).toBe('L1-R1');
    await poll(() => probe(page, 'marks')).toMatchObject({ boxes: 1, ghosts: 1, lines: 1 });
    await page.screenshot({ path: 'test-results/design-changes-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    // Against a version of the draft as it is now: nothing differs.
    await page.getByTestId('design-version-message').fill('Robot moved');
    await page.getByTestId('design-version').click();
    await poll(() => page.getByTestId('changes-baseline').locator('option').count()).toBe(2);
    await page.getByTestId('changes-baseline').selectOption({ index: 1 });
    await poll(() => page.getByTestId('design-changes').textContent()).toContain('No differences');
    await poll(() => probe(page, 'marks')).toMatchObject({ boxes: 0 });
    await page.getByTestId('changes-baseline').selectOption('live');
    await page.getByTestId('change-moved-L1-R1').waitFor({ timeout: 15_000 });
    // Closed: no marks.
    await page.getByTestId('design-changes-toggle').click();
    await poll(() => probe(page, 'marks')).toMatchObject({ boxes: 0 });
  }, 90_000);

  it('runs a what-if of 0.2 h and shows the draft beside live, then the heat maps', async () => {
    await page.getByTestId('design-whatif').click();
    await page.getByTestId('whatif-dialog').waitFor();
    expect(await focusedTestId(page)).toBe('whatif-hours');
    expect(await page.getByTestId('whatif-hours').inputValue()).toBe('8');
    // Out of range: Run is off and the reason shows.
    await page.getByTestId('whatif-hours').fill('25');
    expect(await page.getByTestId('whatif-run').isDisabled()).toBe(true);
    await page.getByTestId('whatif-hours').fill('0.2');
    await page.getByTestId('whatif-run').click();
    await page.getByTestId('whatif-table').waitFor({ timeout: 120_000 });
    const row = page.getByTestId('whatif-row-throughput');
    expect(await row.getByTestId('whatif-draft').textContent()).toMatch(/\d/);
    expect(await row.getByTestId('whatif-live').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('whatif-row-coverage').textContent()).toMatch(/%/);
    await page.screenshot({ path: 'test-results/design-whatif-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: 'test-results/design-whatif-en-1920.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    // Tab stays inside; Esc closes and the focus returns to the toolbar's button.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await page.getByTestId('whatif-dialog').evaluate((d) => d.contains(document.activeElement))).toBe(
      true,
    );
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('whatif-dialog').count()).toBe(0);
    expect(await focusedTestId(page)).toBe('design-whatif');

    await page.getByTestId('heat-traffic').click();
    await poll(() => probe(page, 'heatMap')).toMatchObject({ kind: 'traffic' });
    const h = await probe(page, 'heatMap');
    expect(h?.cols).toBeGreaterThan(0);
    expect(h?.rows).toBeGreaterThan(0);
    await page.getByTestId('heat-legend').waitFor();
    await page.screenshot({ path: 'test-results/design-heat-traffic.png' });
    await page.getByTestId('heat-rsrp').click();
    await poll(() => probe(page, 'heatMap')).toMatchObject({ kind: 'rsrp' });
    await page.screenshot({ path: 'test-results/design-heat-rsrp.png' });
    await page.getByTestId('heat-off').click();
    await poll(() => probe(page, 'heatMap')).toMatchObject({ kind: null });
  }, 180_000);

  it('exports the draft as a plant file with the moved robot', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByTestId('design-export').click();
    await poll(() => page.getByTestId('design-notice').textContent()).toMatch(/Downloaded/);
    const download = await downloaded;
    await page.screenshot({ path: 'test-results/design-export-en.png' });
    const file = await download.path();
    const plant = JSON.parse(await readFile(file, 'utf8')) as {
      equipment: { id: string; position: number[] }[];
    };
    expect(plant.equipment.find((e) => e.id === 'L1-R1')?.position[0]).toBe(movedX);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
  }, 60_000);

  it('runs the changeover case in one click: the scenario on both layouts for 1 h', async () => {
    await page.getByTestId('design-whatif').click();
    await page.getByTestId('whatif-changeover').click();
    // Two layouts for an hour each: over a minute on a loaded two-core machine.
    await expect
      .poll(() => page.getByTestId('whatif-dialog').textContent(), { timeout: 240_000, interval: 250 })
      .toMatch(/1(\.0+)? h simulated, seed 8, .*Scenario: Flexible manufacturing/);
    expect(await page.getByTestId('whatif-hours').inputValue()).toBe('1');
    expect(await page.getByTestId('whatif-scenario').inputValue()).toBe('flexible-changeover');
    // Both layouts have line 3: every step and the operator's start were applied on both.
    expect(await page.getByTestId('whatif-missed-draft').count()).toBe(0);
    expect(await page.getByTestId('whatif-missed-live').count()).toBe(0);
    await page.screenshot({ path: 'test-results/design-whatif-changeover.png' });
    await page.keyboard.press('Escape');
  }, 300_000);

  it('says when another what-if is running, and cancels its own run', async () => {
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.users.engineer),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const running = async () => {
      const r = await fetch(`${server.url}/api/designs/${draftId}/whatif`, { headers: auth });
      return ((await r.json()) as { running: boolean }).running;
    };
    // Someone else's long run, hung up at the end of the test.
    const other = new AbortController();
    const otherRun = fetch(`${server.url}/api/designs/${draftId}/whatif`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ hours: 24 }),
      signal: other.signal,
    }).catch(() => null);
    try {
      await poll(running).toBe(true);
      await page.getByTestId('design-whatif').click();
      await page.getByTestId('whatif-hours').fill('0.05');
      await page.getByTestId('whatif-run').click();
      await poll(() => page.getByTestId('whatif-error').textContent()).toMatch(/Another what-if is running/);
    } finally {
      other.abort();
      await otherRun;
    }
    await poll(running).toBe(false);
    // Our own long run: the bar shows, Cancel hangs up and the server stops.
    await page.getByTestId('whatif-hours').fill('24');
    await page.getByTestId('whatif-run').click();
    await page.getByTestId('whatif-progress').waitFor({ timeout: 15_000 });
    await poll(running).toBe(true);
    await page.screenshot({ path: 'test-results/design-whatif-progress.png' });
    await page.getByTestId('whatif-cancel').click();
    await poll(() => page.getByTestId('whatif-dialog').textContent()).toContain('Run cancelled');
    await poll(running).toBe(false);
    await page.keyboard.press('Escape');
  }, 120_000);

  it('refuses to run or export a draft with problems, and lists them', async () => {
    await page.getByTestId('design-pick').selectOption('L1-R2');
    await page.getByTestId('design-field-id').fill('L1-R1');
    await page.getByTestId('design-field-id').press('Enter');
    await page.getByTestId('design-whatif').click();
    await page.getByTestId('whatif-hours').fill('0.05');
    // Run saves the rename first, then refuses with the server's problem.
    await page.getByTestId('whatif-run').click();
    await poll(() => page.getByTestId('whatif-error').textContent()).toMatch(/duplicate id "L1-R1"/);
    expect(await page.getByTestId('design-dirty').getAttribute('data-dirty')).toBe('false');
    await page.screenshot({ path: 'test-results/design-whatif-invalid.png' });
    await page.keyboard.press('Escape');
    await page.getByTestId('design-export').click();
    await poll(() => page.getByTestId('design-notice').textContent()).toMatch(/Not exported: .*duplicate id/);
    // Put it back.
    await page.locator('body').click({ position: { x: 640, y: 700 } });
    await page.keyboard.press('Control+z');
    await poll(() => page.getByTestId('design-errors').textContent()).toContain('passes');
  }, 120_000);

  it('shows the what-if dialog and its results in Chinese', async () => {
    await page.goto(`${server.url}/design/${draftId}?lang=zh-CN`);
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    await page.getByTestId('design-whatif').click();
    const dialog = page.getByTestId('whatif-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('仿真推演');
    await page.getByTestId('whatif-hours').fill('0.05');
    await page.getByTestId('whatif-run').click();
    await page.getByTestId('whatif-table').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('whatif-table').textContent()).toContain('全厂产能');
    await page.screenshot({ path: 'test-results/design-whatif-zh-CN.png' });
    await page.keyboard.press('Escape');
    await page.getByTestId('design-changes-toggle').click();
    await page.getByTestId('change-moved-L1-R1').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('design-changes').textContent()).toContain('移位');
    await page.getByTestId('heat-rsrp').click();
    await poll(() => probe(page, 'heatMap')).toMatchObject({ kind: 'rsrp' });
    await page.screenshot({ path: 'test-results/design-changes-zh-CN.png' });
  }, 180_000);

  it('logged no errors in the page (the refusals asked for above aside)', () => {
    const asked = /status of (409 \(Conflict\)|422 \(Unprocessable Entity\)) \(.*\/(whatif|export)\)$/;
    expect(errors.filter((e) => !asked.test(e))).toEqual([]);
  });
});
