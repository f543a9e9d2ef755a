import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  twinStats,
  waitForLivePlant,
} from '../helpers/browser';

describe.skipIf(!hasChromium)('connection loss in a real browser', () => {
  let first: AppServer;
  let second: AppServer | null = null;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    first = await startAppServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 640, height: 400 } });
    collectErrors(page);
    await logIn(page, first.url, first.users.viewer);
    await waitForLivePlant(page);
  });

  afterAll(async () => {
    await browser?.close();
    await second?.close();
    // The auth core outlived the first server (the restart keeps users and sessions).
    first?.auth.close();
  });

  const badge = () => page.getByTestId('connection-status').textContent();

  it('shows the loss of the server instead of pretending to be live', async () => {
    await first.app.close();
    await expect.poll(badge, { timeout: 10_000 }).toMatch(/reconnecting|stale/i);
    expect((await twinStats(page)).connected).toBe(false);
  });

  it('reconnects by itself to a restarted server and is live again from a fresh snapshot', async () => {
    const port = Number(new URL(first.url).port);
    // Same users and sessions: the page's token is still good, so it comes back without a login.
    second = await startAppServer({ seed: 9, auth: first.auth, port });
    const before = (await twinStats(page)).telemetryFrames;
    await expect.poll(badge, { timeout: 15_000 }).toMatch(/live/i);
    await expect
      .poll(async () => (await twinStats(page)).telemetryFrames, { timeout: 10_000 })
      .toBeGreaterThan(before + 5);
    expect(await page.getByTestId('login-screen').count()).toBe(0);
  });
});
