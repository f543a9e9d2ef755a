import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, hasChromium, launchChromium, logIn, type TwinStatsView } from '../helpers/browser';
import { addUserTo, killHard, type MainProcess, startMain } from '../helpers/mainProcess';
import { freePort } from '../helpers/mosquitto';
import { tempDataDir } from '../helpers/server';

/** Screenshots go here when set (SHOTS_DIR=/some/dir): for a person to look at, not asserted. */
const SHOTS_DIR = process.env.SHOTS_DIR ?? '';
/** The fed rack goes stale this long after its last message, s (short, so the test sees it). */
const STALE_AFTER_S = 2;
const TOPIC = 'hall/rack1';

/**
 * Whether any text in `root` is clipped: an element with its own text whose content is wider than
 * its box, apart from cells meant to cut long text with an ellipsis (`allowCut`).
 */
function clippedTexts(root: Locator, allowCut: string): Promise<string[]> {
  return root.evaluate((el, cut) => {
    const out: string[] = [];
    for (const e of el.querySelectorAll<HTMLElement>('*')) {
      if (cut && e.closest(cut)) continue;
      const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
      if (own && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
        out.push(e.textContent ?? '');
    }
    return out;
  }, allowCut);
}

/** Whether the element lies wholly inside the viewport and nothing in it scrolls sideways. */
function fitsOnScreen(root: Locator): Promise<boolean> {
  return root.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const inside =
      r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
    const sideways = [el, ...el.querySelectorAll<HTMLElement>('*')].some(
      (e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'auto',
    );
    return inside && !sideways;
  });
}

/**
 * Waits until the plant is connected and drawn. Not waitForLivePlant: here every machine but the
 * fed rack is offline (unmapped), so telemetry frames are rare; the snapshot is what counts.
 */
async function waitForPlant(page: Page): Promise<void> {
  let last: TwinStatsView | null = null;
  for (const end = Date.now() + 120_000; Date.now() < end; ) {
    last = await page.evaluate(
      () => (window as unknown as { __twin?: { stats: () => TwinStatsView } }).__twin?.stats() ?? null,
    );
    if (last?.connected && last.equipment > 0 && last.frames > 5) return;
    await page.waitForTimeout(500);
  }
  throw new Error(`the plant was not connected and drawn within 120 s: ${JSON.stringify(last)}`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS_DIR) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  // Software WebGL at full HD on a busy machine: a frame may take long.
  await page.screenshot({ path: join(SHOTS_DIR, `client-${name}.png`), timeout: 120_000 });
}

describe.skipIf(!hasChromium)(
  'data quality and the Sources panel (real server, embedded broker, real browser)',
  () => {
    let main: MainProcess;
    let browser: Browser;
    let ctx: BrowserContext;
    let page: Page;
    let errors: string[];
    let pub: MqttClient;
    let feeding: ReturnType<typeof setInterval> | undefined;
    let pallets = 20;
    const users = {
      operator: { username: 'op7', password: '' },
      viewer: { username: 'view7', password: '' },
    };

    /** Publishes the rack's stock every 250 ms until `stopFeeding`. */
    const startFeeding = () => {
      feeding = setInterval(() => {
        pallets = (pallets % 23) + 1;
        void pub.publishAsync(TOPIC, JSON.stringify({ pallets, at: Date.now() })).catch(() => {});
      }, 250);
    };
    const stopFeeding = () => {
      if (feeding) clearInterval(feeding);
      feeding = undefined;
    };

    beforeAll(async () => {
      const dir = tempDataDir();
      const mqttPort = await freePort();
      const file = join(dir, 'sources.json');
      writeFileSync(
        file,
        JSON.stringify({
          sources: [
            {
              id: 'uns',
              kind: 'mqtt-json',
              broker: `mqtt://127.0.0.1:${mqttPort}`,
              staleAfterS: STALE_AFTER_S,
              topics: [
                { topic: TOPIC, equipment: 'RK-01', fields: { stock: '$.pallets' }, timestamp: '$.at' },
              ],
            },
          ],
        }),
      );
      users.operator.password = await addUserTo(dir, users.operator.username, 'operator');
      users.viewer.password = await addUserTo(dir, users.viewer.username, 'viewer');
      main = await startMain(dir, [
        '--host',
        '127.0.0.1',
        '--sources',
        file,
        '--mqtt-listen',
        String(mqttPort),
      ]);
      pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { protocolVersion: 4 });
      browser = await launchChromium();
      ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
      page = await ctx.newPage();
      errors = collectErrors(page);
      await logIn(page, main.url, users.operator);
      await waitForPlant(page);
    }, 240_000);

    afterAll(async () => {
      stopFeeding();
      await pub?.endAsync(true);
      await browser?.close();
      if (main) await killHard(main.child);
    });

    const inspector = () => page.getByTestId('inspector');
    const panel = () => page.getByTestId('sources-panel');
    const row = () => panel().locator('[data-testid="sources-row"][data-source="uns"]');
    /** Opens the Sources panel (the button toggles it: a click on an open one would close it). */
    const openSources = async () => {
      if ((await panel().count()) === 0) await page.getByTestId('sources-open').click();
      await panel().waitFor();
    };

    it('lists the source in the Sources panel and its never-fed rack as stale; a click inspects the rack', async () => {
      await openSources();
      await expect.poll(() => row().getAttribute('data-status'), { timeout: 30_000 }).toBe('connected');
      expect(await row().getByTestId('sources-status').textContent()).toMatch(/Connected/);
      expect(await row().locator('td').nth(0).textContent()).toBe('MQTT JSON');
      // Nothing arrived yet: the rack is stale, listed as a button.
      const rack = row().getByTestId('sources-stale-equipment').filter({ hasText: 'RK-01' });
      await rack.waitFor({ timeout: 30_000 });
      await rack.click();
      await expect.poll(() => page.getByTestId('inspector-id').textContent()).toBe('RK-01');
      expect(await panel().count()).toBe(0);
    }, 240_000);

    it('shows the source id, quality good and a ticking age while values arrive', async () => {
      startFeeding();
      await expect
        .poll(() => inspector().getByTestId('dataq-source').textContent(), { timeout: 30_000 })
        .toBe('uns');
      await expect
        .poll(() => inspector().getByTestId('dataq-quality').getAttribute('data-quality'), {
          timeout: 30_000,
        })
        .toBe('good');
      expect(await inspector().getByTestId('dataq-quality').textContent()).toMatch(/Good/);
      await expect.poll(() => inspector().getByTestId('dataq-age').textContent()).toMatch(/^\d+\.\d s ago$/);
      expect(await inspector().getByTestId('dataq-time').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
      // The values come from the source: the signal table shows them, with no quality mark (good).
      expect(await inspector().getByTestId('signal-quality-stock').count()).toBe(0);
      await shot(page, 'inspector-en');
    }, 240_000);

    it('lists the fed source as connected with a message rate and no stale equipment', async () => {
      await openSources();
      await expect
        .poll(() => row().getByTestId('sources-stale').textContent(), { timeout: 30_000 })
        .toBe('None');
      expect(await row().getByTestId('sources-last').textContent()).toMatch(/s ago$/);
      expect(await clippedTexts(panel(), '.sources__error, .sources__count')).toEqual([]);
      expect(await fitsOnScreen(panel())).toBe(true);
      await shot(page, 'sources-en');
      await page.keyboard.press('Escape');
      expect(await panel().count()).toBe(0);
      // Esc closed the panel only (the inspector stays) and focus went back to its button.
      expect(await inspector().count()).toBe(1);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'sources-open',
      );
    }, 240_000);

    it('shows quality stale when the values stop, marks the value, and lists the rack as stale', async () => {
      stopFeeding();
      await expect
        .poll(() => inspector().getByTestId('dataq-quality').getAttribute('data-quality'), {
          timeout: 30_000,
        })
        .toBe('stale');
      expect(await inspector().getByTestId('dataq-quality').textContent()).toMatch(/Stale/);
      await expect
        .poll(() => inspector().getByTestId('signal-quality-stock').getAttribute('data-quality'))
        .toBe('stale');
      await expect
        .poll(() => inspector().getByTestId('dataq-age').textContent())
        .toMatch(/^\d+(\.\d)? s ago$/);
      expect(await clippedTexts(inspector().getByTestId('data-quality'), '')).toEqual([]);
      await shot(page, 'inspector-stale-en');
      await openSources();
      await row()
        .getByTestId('sources-stale-equipment')
        .filter({ hasText: 'RK-01' })
        .waitFor({ timeout: 30_000 });
      // By keyboard: the panel took focus when it opened; Tab passes its close button and reaches
      // the rack; Enter shows it (the panel closes, the inspector stays on the rack).
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('RK-01');
      await page.keyboard.press('Enter');
      await expect.poll(() => panel().count()).toBe(0);
      expect(await page.getByTestId('inspector-id').textContent()).toBe('RK-01');
    }, 240_000);

    it('keeps the panel on screen without sideways scrolling at 1920x1080', async () => {
      await page.setViewportSize({ width: 1920, height: 1080 });
      try {
        await openSources();
        await row().waitFor();
        expect(await fitsOnScreen(panel())).toBe(true);
        expect(await clippedTexts(panel(), '.sources__error, .sources__count')).toEqual([]);
        await shot(page, 'sources-1920-en');
      } finally {
        await page.keyboard.press('Escape');
        await page.setViewportSize({ width: 1280, height: 720 });
      }
    }, 240_000);

    it('shows the same in Chinese after switching language in the user menu', async () => {
      await page.getByTestId('language-switch').selectOption('zh-CN');
      await expect.poll(() => inspector().getByTestId('dataq-quality').textContent()).toMatch(/过期/);
      expect(await inspector().getByTestId('dataq-age').textContent()).toMatch(/秒前$/);
      expect(await inspector().getByTestId('data-quality').textContent()).toMatch(/数据源/);
      expect(await clippedTexts(inspector().getByTestId('data-quality'), '')).toEqual([]);
      await shot(page, 'inspector-stale-zh');
      await openSources();
      expect(await panel().getByRole('heading').textContent()).toBe('数据源');
      await expect.poll(() => row().getByTestId('sources-status').textContent()).toMatch(/已连接/);
      await row().getByTestId('sources-stale-equipment').filter({ hasText: 'RK-01' }).waitFor();
      expect(await clippedTexts(panel(), '.sources__error, .sources__count')).toEqual([]);
      expect(await fitsOnScreen(panel())).toBe(true);
      await shot(page, 'sources-zh');
      await page.keyboard.press('Escape');
      startFeeding();
      await expect
        .poll(() => inspector().getByTestId('dataq-quality').textContent(), { timeout: 30_000 })
        .toMatch(/良好/);
      await expect.poll(() => inspector().getByTestId('dataq-age').textContent()).toMatch(/^\d+\.\d 秒前$/);
      await shot(page, 'inspector-zh');
      stopFeeding();
    }, 240_000);

    it('does not offer the Sources panel to a viewer', async () => {
      // The operator's screen is done: its rendering would only slow the viewer's on two cores.
      await ctx.close();
      const viewerCtx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
      try {
        const v = await viewerCtx.newPage();
        await logIn(v, main.url, users.viewer);
        // The console is up (its top bar with the user menu) before anything is counted.
        await expect
          .poll(() => v.getByTestId('user-chip').textContent(), { timeout: 60_000 })
          .toMatch(/view7/);
        await v.getByTestId('replay-link').waitFor({ timeout: 60_000 });
        expect(await v.getByTestId('sources-open').count()).toBe(0);
        expect(await v.getByTestId('sources-panel').count()).toBe(0);
      } finally {
        await viewerCtx.close();
      }
    }, 240_000);

    it('logs no errors in the page', () => {
      // The refusal of a poll after logout or a lost socket would show here; nothing else may.
      expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    });
  },
);
