import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSignal } from '../../client/hud/format';
import { decodeFrameToObjects, signalsOf } from '../../protocol';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  screenPos,
  selectEquipment,
} from '../helpers/browser';

type Twin = {
  screenPosition: (id: string) => { x: number; y: number } | null;
  stats: () => { telemetryFrames: number };
};

/** Where to write screenshots of the replay view (unset: none). */
const SHOTS = process.env.REPLAY_SHOTS;
const shot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `replay-${name}.png`) });
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const simS = async (page: Page) => Number(await page.getByTestId('replay-time').getAttribute('data-sim-s'));

describe.skipIf(!hasChromium)('replay view (real server, real browser)', () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let id = '';

  beforeAll(async () => {
    // Small chunks: what the live plant did a second ago is already replayable.
    server = await startAppServer({
      seed: 3,
      record: { tuning: { chunkFrames: 10, flushEveryMs: 500, keyframeEveryS: 10 } },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    errors = collectErrors(page);
    // Let the live plant run a while, so there is something to replay.
    await sleep(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The recorded state at `t` as the server's replay gives it (the truth to compare the view with). */
  function recordedAt(t: number) {
    const r = server.app.recordings!.replay(id, 'admin');
    if (!r.ok) throw new Error(r.message);
    const state = r.replay.stateAt(t);
    const kinds = r.replay.kinds;
    return { state, frame: decodeFrameToObjects(state.keyframe, kinds), layout: r.replay.info.layout };
  }

  it('lists the live recording once the plant has run a while', { timeout: 90_000 }, async () => {
    await logIn(page, `${server.url}/replay`, server.users.operator);
    const row = page.locator('[data-kind="live"]').first();
    await row.waitFor({ timeout: 15_000 });
    id = (await row.getAttribute('data-testid'))!.replace(/^recording-/, '');
    expect(id).toBe(server.app.liveRecordingId);
    await shot(page, 'list');
    await row.getByTestId('recording-open').click();
    await page.waitForURL(`**/replay/${id}`);
    await page.locator('[data-testid="replay-view"][data-phase="ready"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('replay-banner').waitFor();
  });

  it('opens at a time from the URL and shows the plant as recorded then', async () => {
    const t = 6;
    await page.goto(`${server.url}/replay/${id}?t=${t}`);
    await page.locator('[data-testid="replay-view"][data-phase="ready"]').waitFor({ timeout: 20_000 });
    expect(await simS(page)).toBe(t);
    const { frame, layout } = recordedAt(t);
    const arm = layout.equipment.findIndex((e) => e.kind === 'robot-arm');
    const armId = layout.equipment[arm].id;
    await page.waitForFunction(
      (x) => (window as unknown as { __twin: Twin }).__twin.screenPosition(x) !== null,
      armId,
      {
        timeout: 15_000,
      },
    );
    expect(await selectEquipment(page, armId)).toBe(true);
    const defs = signalsOf('robot-arm');
    const entry = frame.entries.find((e) => e.index === arm)!;
    // The inspector repaints at 4 Hz: give it a moment, then every value is the recorded one.
    await sleep(600);
    for (let k = 0; k < defs.length; k++) {
      const shown = (await page.getByTestId(`signal-value-${defs[k].key}`).textContent())?.trim();
      expect(shown, defs[k].key).toBe(formatSignal(entry.signals[k], defs[k]));
    }
    await shot(page, 'inspector');
  });

  it('plays at 5x: the simulation time advances, never faster than five times the wall clock', async () => {
    await page.getByTestId('replay-rate').selectOption('5');
    const before = await simS(page);
    const framesBefore = await page.evaluate(
      () => (window as unknown as { __twin: Twin }).__twin.stats().telemetryFrames,
    );
    const start = Date.now();
    await page.getByTestId('replay-play').click();
    // It plays: 3 s of simulation pass. How soon depends on how fast chunks and frames arrive (on a
    // loaded machine the clock waits for them; the unit tests pin the rate itself), so it is polled.
    await expect.poll(async () => (await simS(page)) - before, { timeout: 30_000 }).toBeGreaterThan(3);
    const after = await simS(page);
    const wallS = (Date.now() - start) / 1000;
    await page.getByTestId('replay-play').click();
    // Never faster than 5x.
    expect(after - before).toBeLessThanOrEqual(5 * wallS + 0.5);
    const framesAfter = await page.evaluate(
      () => (window as unknown as { __twin: Twin }).__twin.stats().telemetryFrames,
    );
    expect(framesAfter - framesBefore).toBeGreaterThan(10);
    await shot(page, 'playing');
  });

  it('moves the scene with the scrubber, and back to the same picture', async () => {
    const { layout } = recordedAt(1);
    const agvs = layout.equipment.filter((e) => e.kind === 'agv').map((e) => e.id);
    const box = (await page.getByTestId('replay-scrubber').boundingBox())!;
    const settle = async () => {
      await page.waitForFunction(() => !document.querySelector('.replay-bar__waiting'), undefined, {
        timeout: 10_000,
      });
      await sleep(400);
      return { t: await simS(page), pos: await Promise.all(agvs.map((a) => screenPos(page, a))) };
    };
    // The live recording grows while the test runs: the start (Home) is the fixed point.
    const toStart = async () => {
      await page.getByTestId('replay-scrubber').focus();
      await page.keyboard.press('Home');
      return settle();
    };
    const seekTo = async (f: number) => {
      await page.mouse.click(box.x + box.width * f, box.y + box.height / 2);
      return settle();
    };
    const early = await toStart();
    const late = await seekTo(0.95);
    expect(late.t).toBeGreaterThan(early.t + 5);
    // Some AGV is somewhere else on screen at the later time...
    const moved = agvs.some((_, i) => {
      const a = early.pos[i];
      const b = late.pos[i];
      return a && b && Math.hypot(a.x - b.x, a.y - b.y) > 2;
    });
    expect(moved).toBe(true);
    await shot(page, 'scrubbed');
    // ...and seeking back to the same time shows exactly the same picture.
    const again = await toStart();
    expect(again.t).toBe(early.t);
    expect(again.pos).toEqual(early.pos);
    expect(page.url()).toContain(`/replay/${id}?t=`);
  });

  it('adds a bookmark that shows on the timeline', async () => {
    await page.getByTestId('replay-bookmark-add').click();
    await page.getByTestId('replay-bookmark-label').fill('look here');
    await page.getByTestId('replay-bookmark-save').click();
    await page.getByTestId('replay-bookmark').first().waitFor({ timeout: 10_000 });
    await shot(page, 'bookmark');
    expect(errors).toEqual([]);
  });
});
