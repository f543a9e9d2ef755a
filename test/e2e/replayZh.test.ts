import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlantEvent } from '../../protocol';
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
const layout = defaultLayout();
const agv = layout.equipment.find((e) => e.kind === 'agv')!.id;

describe.skipIf(!hasChromium)(
  'a recording made by English readers, replayed in Chinese (real server, real browser)',
  () => {
    let server: AppServer;
    let browser: Browser;
    const errors: string[][] = [];
    /** What the English operator acknowledged, and the sim time the recording is opened at. */
    let acked = '';
    let pausedAtS = 0;

    beforeAll(async () => {
      // Small chunks: what the live plant did a second ago is already replayable.
      server = await startAppServer({
        speed: 10,
        seed: 3,
        record: { tuning: { chunkFrames: 10, flushEveryMs: 500, keyframeEveryS: 10 } },
      });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('records an English operator who acknowledges an alarm and pauses an AGV, reading English', async () => {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      errors.push(collectErrors(page));
      await logIn(page, `${server.url}/?lang=en`, server.users.operator);
      await waitForLivePlant(page, 90_000);
      const row = page.locator('[data-testid^="alarm-row-"].is-unacked').first();
      await row.waitFor({ timeout: 60_000 });
      acked = (await row.getAttribute('data-alarm')) ?? '';
      expect(await row.locator('.alarm-row__msg').textContent()).not.toMatch(CJK);
      await page.getByTestId(`alarm-ack-${acked}`).click();
      await expect
        .poll(() =>
          page
            .getByTestId(`alarm-row-${acked}`)
            .getAttribute('data-state', { timeout: 2000 })
            .catch(() => 'gone'),
        )
        .toMatch(/^(acknowledged|gone)$/);

      await page.waitForFunction(
        (x) =>
          (
            window as unknown as { __twin: { screenPosition: (id: string) => unknown } }
          ).__twin.screenPosition(x) !== null,
        agv,
        { timeout: 30_000 },
      );
      expect(await selectEquipment(page, agv, 12)).toBe(true);
      await page.getByTestId('command-pause').click();
      await expect
        .poll(() => page.getByTestId('command-result').getAttribute('data-tone'), { timeout: 15_000 })
        .toBe('ok');
      await expect
        .poll(async () => (await page.getByTestId('event-list').textContent()) ?? '', { timeout: 15_000 })
        .toContain(`${agv} paused by command`);
      expect(await page.getByTestId('event-list').textContent()).not.toMatch(CJK);
      await context.close();
    }, 180_000);

    it('stores the texts as codes with parameters, not as the English sentences read', async () => {
      const id = server.app.liveRecordingId!;
      // The recorder writes in chunks: wait until the pause is in the recording.
      let paused: PlantEvent | undefined;
      await expect
        .poll(
          () => {
            const r = server.app.recordings!.replay(id, 'admin');
            if (!r.ok) return false;
            const end = r.replay.stateAt(Number.MAX_SAFE_INTEGER);
            paused = end.events.find((e) => e.text?.code === 'event.agv.paused' && e.equipmentId === agv);
            return paused !== undefined;
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true);
      expect(paused!.text).toEqual({ code: 'event.agv.paused', params: { equipment: agv } });
      pausedAtS = Math.ceil(paused!.simTimeS) + 1;
      const r = server.app.recordings!.replay(id, 'admin');
      if (!r.ok) throw new Error(r.message);
      const state = r.replay.stateAt(pausedAtS);
      expect(state.alarms.length).toBeGreaterThan(0);
      for (const a of state.alarms) expect(a.text?.code, a.id).toBe('alarm.rule');
    }, 60_000);

    it('replays it in Chinese for a Chinese reader: the alarms, their states and the plant events', async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      errors.push(collectErrors(page));
      const id = server.app.liveRecordingId!;
      await logIn(page, `${server.url}/replay/${id}?t=${pausedAtS}&lang=zh-CN`, server.users.viewer);
      await page.locator('[data-testid="replay-view"][data-phase="ready"]').waitFor({ timeout: 30_000 });
      // The English operator's pause, in Chinese.
      await expect
        .poll(async () => (await page.getByTestId('event-list').textContent()) ?? '', { timeout: 20_000 })
        .toContain(`${agv} 已按命令暂停`);
      const events = await page.locator('[data-testid="event-list"] .events__message').allTextContents();
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect(e).toMatch(CJK);
      // Every alarm of the time in Chinese, with its state word in Chinese too.
      const rows = page.locator('[data-testid="alarm-list"] [data-alarm]');
      await rows.first().waitFor({ timeout: 20_000 });
      const messages = await rows.locator('.alarm-row__msg').allTextContents();
      for (const m of messages) expect(m).toMatch(CJK);
      const ackedRow = page.locator(`[data-testid="alarm-row-${acked}"]`);
      if ((await ackedRow.count()) > 0)
        expect(await ackedRow.locator('.alarm-row__state').textContent()).toMatch(CJK);
      await context.close();
    }, 120_000);

    it('logs no console errors', () => {
      expect(errors.flat()).toEqual([]);
    });
  },
);
