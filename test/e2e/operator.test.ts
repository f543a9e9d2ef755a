import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  distinctColors,
  hasChromium,
  launchChromium,
  logIn,
  twinStats,
  waitForLivePlant,
} from '../helpers/browser';
import { sleep } from '../helpers/server';

describe.skipIf(!hasChromium)('operator console in a real browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 960, height: 600 } });
    errors = collectErrors(page);
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the plant: the canvas is not blank', async () => {
    const shot = await page.locator('canvas').first().screenshot();
    expect(await distinctColors(page, shot)).toBeGreaterThan(20);
    const s = await twinStats(page);
    expect(s.equipment).toBeGreaterThanOrEqual(60);
    expect(s.drawCalls).toBeGreaterThan(0);
    expect(s.triangles).toBeGreaterThan(0);
  });

  it('shows things moving: two screenshots a second apart differ', async () => {
    const a = await page.locator('canvas').first().screenshot();
    await sleep(1000);
    const b = await page.locator('canvas').first().screenshot();
    expect(a.equals(b)).toBe(false);
  });

  it('shows the connection as live and the line KPIs', async () => {
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/live/i);
    await expect.poll(() => page.getByTestId('kpi-panel').textContent()).toMatch(/L1|Line 1/);
  });

  it('opens the inspector with live values when an AGV is clicked', async () => {
    // Prefer AGVs that are driving (their screen position moves), so their values change live.
    const ids = await page.evaluate(async () => {
      const t = (
        window as unknown as { __twin: { screenPosition: (id: string) => { x: number; y: number } | null } }
      ).__twin;
      const all = Array.from({ length: 12 }, (_, i) => `AGV-${String(i + 1).padStart(2, '0')}`);
      const before = all.map((id) => t.screenPosition(id));
      await new Promise((r) => setTimeout(r, 800));
      const moved = (id: string, i: number) => {
        const a = before[i];
        const b = t.screenPosition(id);
        return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
      };
      return all
        .map((id, i) => ({ id, d: moved(id, i), visible: t.screenPosition(id) !== null }))
        .filter((a) => a.visible)
        .sort((a, b) => b.d - a.d)
        .map((a) => a.id);
    });
    expect(ids.length).toBeGreaterThan(0);
    let opened: string | null = null;
    for (const id of ids) {
      const pos = await page.evaluate(
        (x) =>
          (
            window as unknown as {
              __twin: { screenPosition: (id: string) => { x: number; y: number } | null };
            }
          ).__twin.screenPosition(x),
        id,
      );
      if (!pos) continue;
      await page.mouse.click(pos.x, pos.y);
      const shown = await page
        .getByTestId('inspector-id')
        .textContent({ timeout: 1500 })
        .catch(() => null);
      if (shown?.trim() === id) {
        opened = id;
        break;
      }
    }
    expect(opened, 'clicking an AGV at its screenPosition selects it').not.toBeNull();
    expect(await page.getByTestId('signal-battery').isVisible()).toBe(true);
    const battery = await page.getByTestId('signal-value-battery').textContent();
    expect(battery).toMatch(/\d/);
    const before = await page.getByTestId('inspector').textContent();
    await expect
      .poll(() => page.getByTestId('inspector').textContent(), { timeout: 8000, interval: 500 })
      .not.toBe(before);
  });

  it('keeps React out of the telemetry path: few commits while frames stream', async () => {
    await page.mouse.click(5, 595); // nothing interactive there; closes nothing
    await page.keyboard.press('Escape');
    await sleep(500);
    const a = await twinStats(page);
    await sleep(5000);
    const b = await twinStats(page);
    expect(b.telemetryFrames - a.telemetryFrames).toBeGreaterThan(25);
    // The bench measures the exact rate (target <= 2/s); here a margin for timers landing on edges.
    expect((b.reactCommits - a.reactCommits) / 5).toBeLessThanOrEqual(3);
  });

  it('logs no console errors', () => {
    expect(errors).toEqual([]);
  });
});
