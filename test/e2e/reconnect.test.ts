import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TwinApp } from '../../server/app';
import { CLIENT_DIST } from '../../server/clientBuild';
import { PlantSession } from '../../server/session/plantSession';
import { startAppServer } from '../helpers/appServer';
import { collectErrors, hasChromium, launchChromium, twinStats, waitForLivePlant } from '../helpers/browser';
import { defaultLayout } from '../helpers/server';

describe.skipIf(!hasChromium)('connection loss in a real browser', () => {
  let first: Awaited<ReturnType<typeof startAppServer>>;
  let second: TwinApp | null = null;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    first = await startAppServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 640, height: 400 } });
    collectErrors(page);
    await page.goto(first.url);
    await waitForLivePlant(page);
  });

  afterAll(async () => {
    await browser?.close();
    await second?.close();
  });

  const badge = () => page.getByTestId('connection-status').textContent();

  it('shows the loss of the server instead of pretending to be live', async () => {
    await first.app.close();
    await expect.poll(badge, { timeout: 10_000 }).toMatch(/reconnecting|stale/i);
    expect((await twinStats(page)).connected).toBe(false);
  });

  it('reconnects by itself to a restarted server and is live again from a fresh snapshot', async () => {
    const port = Number(new URL(first.url).port);
    const session = new PlantSession(defaultLayout(), { seed: 9, speed: 1 });
    second = createApp({ session, logger: pino({ level: 'silent' }), clientDir: CLIENT_DIST });
    await second.listen(port, '127.0.0.1');
    const before = (await twinStats(page)).telemetryFrames;
    await expect.poll(badge, { timeout: 15_000 }).toMatch(/live/i);
    await expect
      .poll(async () => (await twinStats(page)).telemetryFrames, { timeout: 10_000 })
      .toBeGreaterThan(before + 5);
  });
});
