import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type Locale } from '../../client/i18n/messages';
import type { ZoneLabelsView } from '../../client/state/diagnostics';
import { ALARM_PRIORITIES, pickText } from '../../protocol';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  selectEquipment,
  waitForLivePlant,
} from '../helpers/browser';
import { defaultLayout } from '../helpers/server';

const CJK = /[\u4e00-\u9fff]/;

/** Where to write screenshots (unset: none). */
const SHOTS = process.env.I18N_SHOTS;
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `i18n-${name}.png`) });
}

/** A screenshot of the scene alone (the HUD hidden for it): the floor labels under the panels. */
async function sceneShot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.evaluate(() =>
    document.querySelector<HTMLElement>('.hud')?.style.setProperty('visibility', 'hidden'),
  );
  await page.waitForTimeout(300);
  await shot(page, name);
  await page.evaluate(() => document.querySelector<HTMLElement>('.hud')?.style.removeProperty('visibility'));
}

const zoneLabels = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __twin: { zoneLabels: () => unknown } }).__twin.zoneLabels(),
  ) as Promise<ZoneLabelsView | null>;

/** Whether the page has a face of the bundled Noto Sans SC loaded. */
const notoLoaded = (page: Page) =>
  page.evaluate(() =>
    [...document.fonts].some(
      (f) => f.family.replace(/["']/g, '') === 'Noto Sans SC' && f.status === 'loaded',
    ),
  );

/**
 * Elements of an alarm tab (`alarm-list`, `alarm-history`) whose content is wider than their box
 * (clipped, or spilling over the next column): every priority chip, the fixed cells and the
 * header, as `class: text (scrollWidth > clientWidth)` lines.
 */
const clippedIn = (page: Page, tab: string) =>
  page.evaluate((testid) => {
    const out: string[] = [];
    const root = document.querySelector(`[data-testid="${testid}"]`);
    if (!root) return [`no ${testid}`];
    const cells = root.querySelectorAll<HTMLElement>(
      '.prio, .alarm-row__time, .alarm-row__state, .alarm-row--head > span, .history-row > span:first-child',
    );
    for (const el of cells)
      if (el.scrollWidth > el.clientWidth)
        out.push(`${el.className}: ${el.textContent} (${el.scrollWidth} > ${el.clientWidth})`);
    return out;
  }, tab);

/**
 * The same check for every priority's chip word, written into a chip of the tab (the simulation
 * need not have raised an alarm of each priority yet); the chip's own word is put back after.
 */
const clippedChipWords = (page: Page, tab: string, words: string[]) =>
  page.evaluate(
    ([testid, texts]) => {
      const chip = document.querySelector<HTMLElement>(`[data-testid="${testid}"] .prio`);
      if (!chip) return [`no chip in ${testid}`];
      const label = chip.lastChild as Text;
      const was = label.data;
      const out: string[] = [];
      for (const t of texts) {
        label.data = t;
        if (chip.scrollWidth > chip.clientWidth) out.push(`${t} (${chip.scrollWidth} > ${chip.clientWidth})`);
      }
      label.data = was;
      return out;
    },
    [tab, words] as const,
  );

const layout = defaultLayout();

describe.skipIf(!hasChromium)(
  'the scene and the alarm list in both languages (real server, real browser)',
  () => {
    let server: AppServer;
    let browser: Browser;
    /** Console errors per page opened (filled as they happen). */
    const errors: string[][] = [];

    beforeAll(async () => {
      // Fast simulation: the default rules raise alarms within seconds.
      server = await startAppServer({ speed: 10, seed: 3 });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    async function openConsole(locale: Locale, width: number, height: number): Promise<Page> {
      const context = await browser.newContext({
        locale: locale === 'en' ? 'en-US' : 'zh-CN',
        viewport: { width, height },
      });
      const page = await context.newPage();
      errors.push(collectErrors(page));
      // ?lang= pins the language: the users' remembered choice (other tests switch it) does not apply.
      await logIn(page, `${server.url}/?lang=${locale}`, server.users.operator);
      await waitForLivePlant(page, 120_000);
      return page;
    }

    /** Runs `fn` on a console page, closed after (also on failure: one live scene at a time). */
    async function withConsole(
      locale: Locale,
      width: number,
      height: number,
      fn: (page: Page) => Promise<void>,
    ): Promise<void> {
      const page = await openConsole(locale, width, height);
      try {
        await fn(page);
      } finally {
        await page.context().close();
      }
    }

    it('paints the zone names on the floor in Chinese with the bundled font, and in English after a switch', async () => {
      await withConsole('zh-CN', 1280, 720, async (page) => {
        const zh = layout.zones.map((z) => pickText(z.name, z.names, 'zh-CN'));
        await expect
          .poll(async () => (await zoneLabels(page))?.labels.map((l) => l.text), { timeout: 30_000 })
          .toEqual(zh);
        const painted = (await zoneLabels(page))!;
        expect(painted.locale).toBe('zh-CN');
        expect(painted.font).toContain('Noto Sans SC');
        expect(painted.fontLoaded).toBe(true);
        expect(await notoLoaded(page)).toBe(true);
        // Each label has glyphs on it (not an empty atlas cell).
        for (const l of painted.labels) expect(l.inkPx, l.zone).toBeGreaterThan(400);
        await shot(page, 'operator-zh');
        await sceneShot(page, 'zones-zh');

        // The language switch in the user menu repaints them, in capitals, in the system font.
        await page.getByTestId('language-switch').selectOption('en');
        const en = layout.zones.map((z) => z.name.toUpperCase());
        await expect
          .poll(async () => (await zoneLabels(page))?.labels.map((l) => l.text), { timeout: 15_000 })
          .toEqual(en);
        const english = (await zoneLabels(page))!;
        expect(english.font).not.toContain('Noto Sans SC');
        for (const l of english.labels) expect(l.inkPx, l.zone).toBeGreaterThan(400);
        await shot(page, 'operator-en');
        await sceneShot(page, 'zones-en');
        // And back: the Chinese glyphs are loaded already.
        await page.getByTestId('language-switch').selectOption('zh-CN');
        await expect
          .poll(async () => (await zoneLabels(page))?.labels.map((l) => l.text), { timeout: 15_000 })
          .toEqual(zh);
      });
    }, 240_000);

    for (const locale of ['zh-CN', 'en'] as const)
      it(`names the go-to nodes of an AGV in ${locale} and sends it to one, named so in the confirmation`, async () => {
        await withConsole(locale, 1280, 720, async (page) => {
          const agv = layout.equipment.find((e) => e.kind === 'agv')!.id;
          await page.waitForFunction(
            (x) =>
              (
                window as unknown as { __twin: { screenPosition: (id: string) => unknown } }
              ).__twin.screenPosition(x) !== null,
            agv,
            { timeout: 30_000 },
          );
          expect(await selectEquipment(page, agv, 12)).toBe(true);
          const select = page.getByTestId('command-node-select');
          await select.waitFor({ timeout: 10_000 });
          const options = await select.locator('option').allTextContents();
          const groups = await select
            .locator('optgroup')
            .evaluateAll((els) => els.map((e) => e.getAttribute('label') ?? ''));
          expect(options).toHaveLength(layout.paths!.nodes.length + 1);
          if (locale === 'zh-CN') {
            for (const o of [...options, ...groups]) expect(o).toMatch(CJK);
            expect(options).toContain('1 号产线上料点 · L1-FDR-D');
            expect(options).toContain('总装车间 A 通道 05 · HA-05');
          } else {
            for (const o of [...options, ...groups]) expect(o).not.toMatch(CJK);
            expect(options).toContain('Line 1 feeder drop-off · L1-FDR-D');
          }
          // The list opened in the page for the screenshot (a native dropdown is not in screenshots).
          await select.evaluate((el: HTMLSelectElement) => {
            el.size = 16;
            el.style.height = 'auto';
          });
          await shot(page, `goto-${locale === 'en' ? 'en' : 'zh'}`);
          await select.evaluate((el: HTMLSelectElement) => {
            el.size = 0;
            el.style.height = '';
          });
          await select.selectOption('L1-FDR-D');
          await page.getByTestId('command-go-to').click();
          const question = page.getByTestId('command-confirm-step');
          await question.waitFor({ timeout: 10_000 });
          const named =
            locale === 'zh-CN' ? '1 号产线上料点 · L1-FDR-D' : 'Line 1 feeder drop-off · L1-FDR-D';
          expect(await question.textContent()).toContain(named);
          await page.getByTestId('command-confirm').click();
          await expect
            .poll(() => page.getByTestId('command-result').getAttribute('data-tone'), { timeout: 15_000 })
            .toMatch(/ok|error/);
          if ((await page.getByTestId('command-result').getAttribute('data-tone')) === 'ok') {
            // The plant's event names the node in the reader's language.
            const event =
              locale === 'zh-CN'
                ? `${agv} 已按命令派往节点 1 号产线上料点（L1-FDR-D）`
                : `${agv} sent to node L1-FDR-D by command`;
            await expect
              .poll(async () => (await page.getByTestId('event-list').textContent()) ?? '', {
                timeout: 15_000,
              })
              .toContain(event);
          }
        });
      }, 180_000);

    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const)
      it(`shows every priority chip and alarm cell whole at ${width}x${height} in both languages`, async () => {
        for (const locale of ['en', 'zh-CN'] as const)
          await withConsole(locale, width, height, async (page) => {
            const at = `${locale} ${width}x${height}`;
            const lang = locale === 'en' ? 'en' : 'zh';
            await page
              .locator('[data-testid="alarm-list"] [data-alarm]')
              .first()
              .waitFor({ timeout: 60_000 });
            const words = ALARM_PRIORITIES.map((p) => CATALOG[locale][`priority.${p}`]);
            expect(await clippedIn(page, 'alarm-list'), at).toEqual([]);
            expect(await clippedChipWords(page, 'alarm-list', words), at).toEqual([]);
            await shot(page, `alarms-${lang}-${width}`);
            if (width === 1280) {
              // The shelve dialog, in the same language.
              // One alarm selected. An unacknowledged one stays in the list; should it leave anyway
              // between the selection and the click (the simulation runs on), the button turns
              // disabled again: then another is selected and the click tried again.
              const unacked = page.locator(
                '[data-testid="alarm-list"] [data-alarm].is-unacked .alarm-row__check',
              );
              const shelve = page.getByTestId('alarm-shelve');
              const dialog = page.getByTestId('alarm-dialog');
              await expect
                .poll(
                  async () => {
                    if (!(await shelve.isEnabled()))
                      await unacked
                        .first()
                        .click({ timeout: 5000 })
                        .catch(() => undefined);
                    await shelve.click({ timeout: 2000 }).catch(() => undefined);
                    return dialog.isVisible();
                  },
                  { timeout: 60_000 },
                )
                .toBe(true);
              const text = ((await dialog.textContent()) ?? '').replace(/\S*@\S*/g, '');
              if (locale === 'zh-CN') expect(text).toMatch(CJK);
              else expect(text).not.toMatch(CJK);
              await shot(page, `shelve-${lang}`);
              await page.keyboard.press('Escape');
              await dialog.waitFor({ state: 'detached' });
            }
            if (width === 1280) {
              // With the inspector open the list is at its narrowest: every row still fits whole.
              await page
                .locator('[data-testid="alarm-list"] [data-alarm]')
                .first()
                .click({ position: { x: 300, y: 8 } });
              await page.getByTestId('inspector').waitFor({ timeout: 15_000 });
              const overflowing = await page.evaluate(() =>
                [...document.querySelectorAll<HTMLElement>('[data-testid="alarm-list"] .alarm-row')]
                  .filter((r) => r.scrollWidth > r.clientWidth)
                  .map((r) => `${r.dataset.alarm ?? 'head'} (${r.scrollWidth} > ${r.clientWidth})`),
              );
              expect(overflowing, `rows beside the inspector, ${at}`).toEqual([]);
              expect(await clippedIn(page, 'alarm-list'), `beside the inspector, ${at}`).toEqual([]);
              await shot(page, `alarms-inspector-${lang}`);
              await page.keyboard.press('Escape');
            }
            await page.getByTestId('alarm-tab-history').click();
            await page
              .locator('[data-testid="alarm-history"] .history-row .prio')
              .first()
              .waitFor({ timeout: 15_000 });
            expect(await clippedIn(page, 'alarm-history'), `history ${at}`).toEqual([]);
            expect(await clippedChipWords(page, 'alarm-history', words), `history ${at}`).toEqual([]);
          });
      }, 360_000);

    it('logs no console errors', () => {
      expect(errors.flat()).toEqual([]);
    });
  },
);
