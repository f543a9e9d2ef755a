import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import { collectErrors, hasChromium, launchChromium, logIn, waitForLivePlant } from '../helpers/browser';
import { sleep } from '../helpers/server';

interface MarkerView {
  equipmentId: string;
  alarmId: string;
  priority: string;
  blinking: boolean;
  screen: { x: number; y: number } | null;
}
type Twin = {
  alarmMarkers: () => MarkerView[];
  screenPosition: (id: string) => { x: number; y: number } | null;
  stats: () => { alarms: { active: number; unacknowledged: number } };
};

const W = 1280;
const H = 720;
const markers = (page: Page) =>
  page.evaluate(() => (window as unknown as { __twin: Twin }).__twin.alarmMarkers());
const screenPos = (page: Page, id: string) =>
  page.evaluate((x) => (window as unknown as { __twin: Twin }).__twin.screenPosition(x), id);
/** Distance of the equipment from the center of the 3D view, CSS px (off screen: the diagonal). */
async function offCenter(page: Page, id: string): Promise<number> {
  const p = await screenPos(page, id);
  return p ? Math.hypot(p.x - W / 2, p.y - H / 2) : Math.hypot(W, H);
}

describe.skipIf(!hasChromium)('alarms in the operator console (real server, real browser)', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let alarmId = '';
  let equipmentId = '';

  beforeAll(async () => {
    // Fast simulation so the default rules raise alarms within seconds.
    server = await startAppServer({ speed: 20, seed: 3 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: W, height: H } });
    errors = collectErrors(page);
    // Acknowledging needs the operator role.
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows an alarm raised by the simulation in the list and as a blinking marker on its equipment', async () => {
    await expect
      .poll(async () => (await markers(page)).some((m) => m.blinking), { timeout: 45_000, interval: 500 })
      .toBe(true);
    const m = (await markers(page)).find((x) => x.blinking);
    if (!m) throw new Error('no blinking marker');
    alarmId = m.alarmId;
    equipmentId = m.equipmentId;
    const row = page.getByTestId(`alarm-row-${alarmId}`);
    await expect.poll(() => row.count()).toBe(1);
    // Shown in two places at once: the marker and the row agree on the equipment.
    expect(await row.getAttribute('data-equipment')).toBe(equipmentId);
    expect(await row.getAttribute('data-priority')).toBe(m.priority);
    expect(await row.getAttribute('data-state')).toMatch(/unacknowledged/);
    expect(await page.getByTestId('alarm-banner').isVisible()).toBe(true);
    const s = await page.evaluate(() => (window as unknown as { __twin: Twin }).__twin.stats().alarms);
    expect(s.unacknowledged).toBeGreaterThan(0);
  }, 60_000);

  it('flies the camera to the equipment when its alarm row is clicked', async () => {
    const before = await offCenter(page, equipmentId);
    await page.getByTestId(`alarm-row-${alarmId}`).click({ position: { x: 200, y: 8 } });
    await expect.poll(() => page.getByTestId('inspector-id').textContent()).toBe(equipmentId);
    await sleep(2500); // the fly-to eases over about a second
    const after = await offCenter(page, equipmentId);
    // Closer to the center than before (or already near it: the fly-to frames it from above).
    expect(after).toBeLessThan(Math.max(before - 10, 0.25 * Math.hypot(W, H)));
  }, 20_000);

  it('stops the blinking once the equipment\u2019s alarms are acknowledged', async () => {
    // Acknowledge every unacknowledged alarm of this equipment (another may join meanwhile, so repeat).
    // One round trip per attempt: SwiftShader at close range starves the page's main thread.
    const ackAll = () =>
      page
        .locator(
          `.alarm-row[data-equipment="${equipmentId}"][data-state$="unacknowledged"] [data-testid^="alarm-ack-"]`,
        )
        .evaluateAll((buttons) => {
          for (const b of buttons) (b as HTMLButtonElement).click();
        });
    await ackAll();
    await expect
      .poll(
        async () => {
          const row = page.getByTestId(`alarm-row-${alarmId}`);
          const state = (await row.count()) ? await row.getAttribute('data-state') : 'gone';
          if (state?.endsWith('unacknowledged')) await ackAll();
          return state;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toMatch(/^(acknowledged|gone)$/);
    await expect
      .poll(
        async () => {
          const blinking =
            (await markers(page)).find((x) => x.equipmentId === equipmentId)?.blinking ?? false;
          if (blinking) await ackAll();
          return blinking;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(false);
    // A CONFLICT is a legitimate race (the alarm went normal between the row's paint and the ack);
    // anything else would be a real refusal.
    const toasts = await page.locator('.toast').allTextContents();
    expect(toasts.filter((t) => !t.includes('(CONFLICT)'))).toEqual([]);
  }, 45_000);

  it('logs no console errors', () => {
    expect(errors).toEqual([]);
  });
});
