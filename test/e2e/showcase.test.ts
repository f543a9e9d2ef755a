import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  collectErrors,
  distinctColors,
  hasChromium,
  launchChromium,
  logIn,
  waitForLivePlant,
} from '../helpers/browser';
import { sleep } from '../helpers/server';

/** The showcase's additions to `window.__twin.stats()`. */
interface ShowcaseStats {
  connected: boolean;
  tour: { viewpoint: string; index: number } | null;
  heapMB: number | null;
  memory: { geometries: number; textures: number; programs: number } | null;
}

function showcaseStats(page: Page): Promise<ShowcaseStats> {
  return page.evaluate(() =>
    (window as unknown as { __twin: { stats: () => ShowcaseStats } }).__twin.stats(),
  );
}

/** The number shown in a KPI tile ("80.9" → 80.9), or NaN. */
async function tileNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(`${testId}-value`).textContent()) ?? '';
  return Number(text.replace(/,/g, ''));
}

describe.skipIf(!hasChromium)('showcase screen at 1920x1080 (public showcase, no login)', () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    // --public-showcase: the lobby screen runs unattended, without anyone logging in.
    server = await startAppServer({ speed: 5, publicShowcase: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    errors = collectErrors(page);
    await page.goto(`${server.url}/showcase?dwell=2&alarmHold=2`);
    expect(await page.getByTestId('login-screen').count()).toBe(0);
    // SwiftShader draws a full-HD frame with soft shadows in about a second: give it time.
    await waitForLivePlant(page, 120_000);
    await page.getByTestId('kpi-oee-value').waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the plant in full material behind the overlay: the canvas is not blank', async () => {
    const shot = await page.locator('canvas').first().screenshot({ timeout: 100_000 }); // SwiftShader at 1080p is slow on a busy machine
    expect(await distinctColors(page, shot)).toBeGreaterThan(40);
    await expect.poll(() => page.getByTestId('showcase').isVisible()).toBe(true);
  }, 120_000);

  it('shows the server’s KPIs in the tiles: plant OEE as a percentage matching the server', async () => {
    const text = (await page.getByTestId('kpi-oee').textContent()) ?? '';
    expect(text).toMatch(/\d+(\.\d)?\s?%/);
    // KPIs move at 1 Hz: compare a fresh server figure with the tile until they agree within rounding.
    await expect
      .poll(
        async () =>
          Math.abs((await tileNumber(page, 'kpi-oee')) - server.session.snapshot().kpis.plant.oee * 100),
        { timeout: 10_000 },
      )
      .toBeLessThanOrEqual(0.6);
    for (const id of ['kpi-output', 'kpi-fpy', 'kpi-defects', 'kpi-agv', 'kpi-5g', 'kpi-power', 'kpi-alarms'])
      expect(Number.isFinite(await tileNumber(page, id)), id).toBe(true);
    expect(await tileNumber(page, 'kpi-5g')).toBe(server.session.snapshot().kpis.plant.connectedDevices);
    expect(await page.getByTestId('kpi-lines').textContent()).toMatch(/Line 1.*\d+ %/);
  }, 60_000);

  it('tours the viewpoints: stats().tour.viewpoint changes with ?dwell=2', async () => {
    const first = (await showcaseStats(page)).tour;
    expect(first).not.toBeNull();
    await expect
      .poll(async () => (await showcaseStats(page)).tour?.viewpoint, { timeout: 40_000 })
      .not.toBe(first?.viewpoint);
    expect(await page.getByTestId('tour-caption').textContent()).not.toBe('');
  }, 60_000);

  it('reports heap and renderer memory in stats()', async () => {
    const s = await showcaseStats(page);
    expect(s.heapMB).toBeGreaterThan(0);
    expect(s.memory?.geometries).toBeGreaterThan(0);
  });

  it('logs no errors', () => {
    expect(errors.filter((e) => !/WebGL|GPU stall|GL Driver/i.test(e))).toEqual([]);
  });

  it('renders Chinese with a font that has the glyphs (?lang=zh-CN)', async () => {
    // The same tab (one WebGL context at a time: SwiftShader is slow enough with one).
    await page.goto(`${server.url}/showcase?lang=zh-CN`);
    await page.getByTestId('kpi-5g').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('kpi-5g').textContent()).toContain('设备');
    const hasGlyphs = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px "Noto Sans SC"', '设备');
    });
    expect(hasGlyphs).toBe(true);
    expect(await page.getByTestId('showcase').getAttribute('lang')).toBe('zh-CN');
  }, 150_000);
});

describe.skipIf(!hasChromium)('showcase soak at 50× simulation speed', () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ speed: 50, publicShowcase: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'],
      headless: true,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps JS heap, DOM nodes and renderer memory flat over two minutes of touring', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.url}/showcase?dwell=3`);
    await waitForLivePlant(page, 60_000);
    await page.getByTestId('kpi-oee-value').waitFor({ timeout: 30_000 });
    const cdp = await page.context().newCDPSession(page);
    const sample = async () => {
      await page.evaluate(() => {
        const w = window as unknown as { gc: () => void };
        w.gc();
        w.gc();
      });
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
      const s = await showcaseStats(page);
      return { heapMB: heap.usedSize / 1048576, dom, memory: s.memory, tour: s.tour?.index ?? -1 };
    };
    // Warm-up: one full tour so every viewpoint, shader and font subset has been seen once.
    await sleep(40_000);
    const start = await sample();
    const tours = new Set<number>();
    for (let i = 0; i < 8; i++) {
      await sleep(10_000);
      tours.add((await showcaseStats(page)).tour?.index ?? -1);
    }
    const end = await sample();
    console.info('showcase soak', JSON.stringify({ start, end }));
    expect(tours.size).toBeGreaterThan(2);
    expect(end.heapMB - start.heapMB).toBeLessThan(3);
    expect(Math.abs(end.dom - start.dom)).toBeLessThanOrEqual(20);
    expect(end.memory?.geometries).toBeLessThanOrEqual((start.memory?.geometries ?? 0) + 2);
    expect(end.memory?.textures).toBeLessThanOrEqual((start.memory?.textures ?? 0) + 1);
    expect(end.memory?.programs).toBeLessThanOrEqual((start.memory?.programs ?? 0) + 1);
  }, 180_000);
});

describe.skipIf(!hasChromium)('showcase for a logged-in viewer, through a server restart', () => {
  let first: AppServer;
  let second: AppServer | null = null;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // No --public-showcase: the lobby screen asks for a login, and a viewer's is enough.
    first = await startAppServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 960, height: 540 } });
    // The public attempt is refused, so the login page comes up; logIn fills it.
    await logIn(page, `${first.url}/showcase`, first.users.viewer);
    await waitForLivePlant(page, 60_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await second?.close();
    first?.auth.close();
  });

  const status = () => page.getByTestId('showcase-connection').getAttribute('data-status');

  it('shows the showcase to the viewer, without operator controls', async () => {
    await page.getByTestId('kpi-oee-value').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('showcase').isVisible()).toBe(true);
    expect(await page.locator('[data-testid^="command-"]').count()).toBe(0);
  }, 40_000);

  it('shows a discreet reconnecting badge, not an error, while the server is gone', async () => {
    await first.app.close();
    await expect.poll(status, { timeout: 10_000 }).toMatch(/reconnecting|stale/);
    expect(await page.getByTestId('showcase-connection').textContent()).toMatch(/reconnecting|waiting/i);
    // The plant and the tiles stay on screen with the last state.
    expect(await page.locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('kpi-oee-value').textContent()).toMatch(/\d/);
  });

  it('recovers by itself within 10 s of the server coming back (same session, no new login)', async () => {
    const port = Number(new URL(first.url).port);
    second = await startAppServer({ seed: 9, auth: first.auth, port });
    await expect.poll(status, { timeout: 10_000, interval: 250 }).toBe('live');
    expect(await page.getByTestId('login-screen').count()).toBe(0);
  });
});
