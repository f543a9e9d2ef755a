import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import { collectErrors, hasChromium, launchChromium, logIn, waitForLivePlant } from '../helpers/browser';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** What the focused element is: its test id and the alarm it belongs to, if any. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      testid: el?.dataset.testid ?? '',
      alarm: el?.dataset.alarm ?? '',
      state: el?.dataset.state ?? '',
      className: el?.className ?? '',
    };
  });

/** Presses `key` until the focused element's test id (or class) matches (a keyboard user tabbing to a control). */
async function tabTo(page: Page, key: 'Tab' | 'Shift+Tab', testid: RegExp, max = 60): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (testid.test(f.testid) || testid.test(f.className)) return f.testid || f.className;
  }
  throw new Error(`no focusable element matching ${testid} within ${max} ${key} presses`);
}

const rowState = (page: Page, id: string) =>
  page
    .getByTestId(`alarm-row-${id}`)
    .getAttribute('data-state', { timeout: 2000 })
    .catch(() => null);

describe.skipIf(!hasChromium)('the console from the keyboard, and its accessibility (real browser)', () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    // Fast simulation: the default rules raise several alarms within seconds.
    server = await startAppServer({ speed: 10, seed: 3, training: true });
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
      reducedMotion: 'reduce',
      bypassCSP: true,
    }); // axe-core is injected as an inline script; the server's CSP (tested in security.test.ts) forbids that;
    errors = collectErrors(page);
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page, 90_000);
    // Several unacknowledged alarms (polled by hand: expect.poll runs only inside a test).
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid^="alarm-row-"].is-unacked').length > 1,
      undefined,
      {
        timeout: 60_000,
        polling: 500,
      },
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('jumps to the newest unacknowledged alarm with Alt+N and acknowledges it with Enter', async () => {
    await page.keyboard.press('Alt+N');
    await expect.poll(async () => (await focused(page)).alarm, { timeout: 10_000 }).not.toBe('');
    const f = await focused(page);
    expect(f.state).toMatch(/unacknowledged/);
    // The newest of the unacknowledged ones.
    const newest = await page.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('[data-alarm].is-unacked')];
      return rows.length;
    });
    expect(newest).toBeGreaterThan(0);
    // Focus is visible on the row (a focus ring, not only a color change).
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    // Acknowledged: it stays as 'acknowledged', or leaves the list when it had returned to normal.
    await expect
      .poll(async () => (await rowState(page, f.alarm)) ?? 'gone', { timeout: 10_000 })
      .toMatch(/^(acknowledged|gone)$/);
  });

  it('keeps the keyboard inside the shelve dialog, closes it on Esc and gives the focus back to its opener', async () => {
    await page.keyboard.press('Alt+N');
    // The keyboard may still be on the row acknowledged above: wait until it is on an unacknowledged one.
    await expect.poll(async () => (await focused(page)).state, { timeout: 10_000 }).toMatch(/unacknowledged/);
    const { alarm } = await focused(page);
    await page.keyboard.press(' '); // select the row
    await tabTo(page, 'Shift+Tab', /^alarm-shelve$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('alarm-dialog').waitFor();
    // The reason field has the focus; Tab and Shift+Tab go round the dialog, never behind it.
    expect((await focused(page)).testid).toBe('alarm-dialog-reason');
    const inDialog = () =>
      page.evaluate(
        () =>
          document.querySelector('[data-testid="alarm-dialog"]')?.contains(document.activeElement) ?? false,
      );
    const stops = await page
      .getByTestId('alarm-dialog')
      .evaluate((d) => d.querySelectorAll('button:not([disabled]), input').length);
    expect(stops).toBeGreaterThan(3);
    for (const key of ['Tab', 'Shift+Tab'] as const)
      for (let i = 0; i < stops + 2; i++) {
        await page.keyboard.press(key);
        expect(await inDialog(), `${key} #${i + 1}`).toBe(true);
      }
    await page.keyboard.press('Escape');
    await page.getByTestId('alarm-dialog').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).testid, { timeout: 10_000 }).toBe('alarm-shelve');
    // The opener opens it again; Enter in the reason field shelves with the default duration.
    await page.keyboard.press('Enter');
    await page.getByTestId('alarm-dialog').waitFor();
    await page.keyboard.type('Sensor replaced, watch until next shift');
    await page.keyboard.press('Enter');
    await expect.poll(() => rowState(page, alarm), { timeout: 10_000 }).toBe('shelved');
    await expect.poll(async () => (await focused(page)).testid, { timeout: 10_000 }).toBe('alarm-shelve');
  });

  it('sends a confirmed command without the mouse, and Esc closes the inspector', async () => {
    // The abnormal-equipment list: Tab to a machine, Enter opens it in the inspector (the
    // simulation's faults come and go: wait for one).
    await page.locator('.faults__row').first().waitFor({ timeout: 90_000 });
    await tabTo(page, 'Shift+Tab', /faults__row/, 120);
    await page.keyboard.press('Enter');
    await page.getByTestId('inspector').waitFor({ timeout: 10_000 });
    // A command that sets machines moving asks for confirmation (start, reset, go-to, launch).
    const button = await tabTo(page, 'Tab', /^(line-)?command-(start|reset|launch-patrol)$/, 80);
    await page.keyboard.press('Enter');
    await page.getByTestId('command-confirm-step').waitFor({ timeout: 10_000 });
    expect((await focused(page)).testid).toBe('command-confirm');
    // Esc cancels the step only (the inspector stays) and puts the keyboard back on the command.
    await page.keyboard.press('Escape');
    await page.getByTestId('command-confirm-step').waitFor({ state: 'detached' });
    expect(await page.getByTestId('inspector').isVisible()).toBe(true);
    await expect.poll(async () => (await focused(page)).testid, { timeout: 10_000 }).toBe(button);
    await page.keyboard.press('Enter');
    await page.getByTestId('command-confirm-step').waitFor({ timeout: 10_000 });
    expect((await focused(page)).testid).toBe('command-confirm');
    await page.keyboard.press('Enter');
    await page.getByTestId('command-result').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId('command-result').getAttribute('data-tone'), { timeout: 10_000 })
      .toMatch(/ok|error/);
    expect(button).toBeTruthy();
    await page.keyboard.press('Escape');
    await page.getByTestId('inspector').waitFor({ state: 'detached' });
  }, 60_000);

  it('shows unacknowledged alarms without blinking when motion is reduced', async () => {
    const chip = page.locator('[data-testid^="alarm-row-"].is-unacked .prio--blink').first();
    await chip.waitFor({ timeout: 30_000 });
    const style = await chip.evaluate((el) => {
      const s = getComputedStyle(el);
      return { animation: s.animationName, outline: s.outlineStyle };
    });
    expect(style.animation).toBe('none');
    expect(style.outline).toBe('solid');
    // Priority has a shape in the list as well as a color, and the 3D markers one shape per priority.
    expect(await chip.locator('.prio__shape').textContent()).toMatch(/[▲◆■●]/);
    const shapes = await page.evaluate(() =>
      (window as unknown as { __twin: { alarmMarkers: () => { priority: string; shape: string }[] } }).__twin
        .alarmMarkers()
        .map((m) => `${m.priority}:${m.shape}`),
    );
    const byPriority = new Map(shapes.map((s) => s.split(':') as [string, string]));
    expect(new Set(byPriority.values()).size).toBe(byPriority.size);
  });

  it('has no serious or critical axe-core violations on the operator console', async () => {
    await page.addScriptTag({ path: AXE_PATH });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
        .axe;
      const r = (await axe.run(document, { resultTypes: ['violations'] })) as {
        violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
      };
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
  }, 60_000);

  it('keeps the keyboard inside the training report, closes it on Esc and gives the focus back to its opener', async () => {
    // One live scene at a time on a small machine: the operator console is done.
    await page.goto('about:blank');
    const trainer = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const trainerErrors = collectErrors(trainer);
    try {
      await logIn(trainer, `${server.url}/trainer`, server.users.trainer);
      await trainer.getByTestId('scenario-detail').waitFor({ timeout: 60_000 });
      await trainer.getByTestId('scenario-create').click({ timeout: 60_000 });
      await trainer.locator('[data-testid="trainer-bar"][data-state="ready"]').waitFor({ timeout: 60_000 });
      await trainer.getByTestId('trainer-report-open').focus();
      await trainer.keyboard.press('Enter');
      const report = trainer.getByTestId('report-panel').locator('[role="dialog"]');
      await report.waitFor({ timeout: 10_000 });
      expect(await report.getAttribute('aria-modal')).toBe('true');
      const inReport = () =>
        trainer.evaluate(
          () =>
            document.querySelector('[data-testid="report-panel"]')?.contains(document.activeElement) ?? false,
        );
      expect(await inReport()).toBe(true);
      for (const key of ['Tab', 'Shift+Tab'] as const)
        for (let i = 0; i < 8; i++) {
          await trainer.keyboard.press(key);
          expect(await inReport(), `${key} #${i + 1}`).toBe(true);
        }
      await trainer.keyboard.press('Escape');
      await trainer.getByTestId('report-panel').waitFor({ state: 'detached' });
      await expect
        .poll(() =>
          trainer.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? ''),
        )
        .toBe('trainer-report-open');
      expect(trainerErrors).toEqual([]);
    } finally {
      await trainer.close();
    }
  }, 240_000);

  it('logs no console errors', () => {
    expect(errors).toEqual([]);
  });
});
