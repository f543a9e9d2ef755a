import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  selectEquipment,
  twinStats,
  waitForLivePlant,
} from '../helpers/browser';

/** Where to write screenshots of the training screens (unset: none). */
const SHOTS = process.env.TRAINING_SHOTS;
const shot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `trainer-${name}.png`) });
};

const simS = async (page: Page, testId: string) =>
  Number(await page.getByTestId(testId).getAttribute('data-sim-s'));

describe.skipIf(!hasChromium)('training sessions (real server, real browser)', () => {
  let server: AppServer;
  let browser: Browser;
  /** The trainee's own browser: its own (software) GPU process, so two live scenes render in parallel. */
  let traineeBrowser: Browser;
  let trainer: Page;
  let trainee: Page;
  let trainerErrors: string[];
  let traineeErrors: string[];
  let code = '';

  beforeAll(async () => {
    server = await startAppServer({ training: true, seed: 3 });
    [browser, traineeBrowser] = await Promise.all([launchChromium(), launchChromium()]);
    // The trainer's console carries the most panels and needs room to click the plant between them;
    // the trainee's is smaller (DESIGN: Testing — the software rasterizer's cost grows with pixels).
    trainer = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    trainee = await traineeBrowser.newPage({ viewport: { width: 1280, height: 720 } });
    trainerErrors = collectErrors(trainer);
    traineeErrors = collectErrors(trainee);
    trainer.on('dialog', (d) => void d.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await traineeBrowser?.close();
    await server?.close();
  });

  it('tells a user without the trainer role that the console needs it', async () => {
    const page = await browser.newPage();
    await logIn(page, `${server.url}/trainer`, server.users.operator);
    await page.getByTestId('trainer-role-required').waitFor({ timeout: 15_000 });
    await page.close();
  });

  it('lets a trainer pick a scenario, create a session and start it', async () => {
    await logIn(trainer, `${server.url}/trainer`, server.users.trainer);
    await trainer.getByTestId('scenario-detail').waitFor({ timeout: 15_000 });
    await shot(trainer, 'picker');
    await trainer.getByTestId('scenario-create').click();
    const bar = trainer.getByTestId('trainer-bar');
    await bar.and(trainer.locator('[data-state="ready"]')).waitFor({ timeout: 15_000 });
    code = (await trainer.getByTestId('trainer-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    expect(server.app.training.find(code)).toBeTruthy();
    await trainer.getByTestId('trainer-start').click();
    await trainer.locator('[data-testid="trainer-bar"][data-state="running"]').waitFor({ timeout: 10_000 });
    await waitForLivePlant(trainer);
    await expect.poll(() => trainer.url()).toContain('session=');
  }, 120_000);

  it('changes the speed', async () => {
    await trainer.getByTestId('trainer-speed-5').click();
    await trainer.locator('[data-testid="trainer-bar"][data-speed="5"]').waitFor({ timeout: 10_000 });
    expect(server.app.training.find(code)?.state().speed).toBe(5);
  });

  it('lets a trainee join by code and see the same scene, marked as simulated', async () => {
    await logIn(trainee, `${server.url}/train/${code}`, server.users.operator);
    await waitForLivePlant(trainee, 100_000);
    const banner = trainee.getByTestId('training-banner');
    await banner.waitFor();
    const name = (await trainer.getByTestId('trainer-scenario').textContent()) ?? '';
    expect(await banner.textContent()).toContain(name);
    expect(await trainee.getByTestId('sim-watermark').count()).toBe(1);
    const [a, b] = await Promise.all([twinStats(trainer), twinStats(trainee)]);
    expect(b.equipment).toBe(a.equipment);
    expect(b.equipment).toBeGreaterThan(0);
  }, 150_000);

  it('pauses, and both see the same sim time and "Paused by the trainer"', async () => {
    await trainer.getByTestId('trainer-pause').click();
    await trainer.locator('[data-testid="trainer-bar"][data-state="paused"]').waitFor({ timeout: 10_000 });
    await trainee.getByTestId('training-paused').waitFor({ timeout: 10_000 });
    const serverS = server.app.training.find(code)?.state().simTimeS ?? Number.NaN;
    // The HUD samples at 1 Hz: give both a tick to settle on the frozen clock.
    await expect.poll(() => simS(trainer, 'trainer-clock'), { timeout: 5000 }).toBe(Math.floor(serverS));
    await expect.poll(() => simS(trainee, 'training-banner'), { timeout: 5000 }).toBe(Math.floor(serverS));
    // Frozen, not stale: the plant is not dimmed while paused.
    await new Promise((r) => setTimeout(r, 2500));
    expect((await twinStats(trainee)).connected).toBe(true);
    expect(await trainee.locator('.hud--not-live').count()).toBe(0);
  }, 60_000);

  it("shows the trainee's command in the trainer's activity feed", async () => {
    await trainer.getByTestId('trainer-resume').click();
    await trainer.locator('[data-testid="trainer-bar"][data-state="running"]').waitFor({ timeout: 10_000 });
    expect(await selectEquipment(trainee, 'L1-C2')).toBe(true);
    await trainee.getByTestId('command-stop').click();
    const row = trainer.locator(
      `[data-testid="trainer-feed"] [data-event="equipment:command"][data-user="${server.users.operator.username}"]`,
    );
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().textContent()).toContain('L1-C2');
    await shot(trainee, 'trainee');
  });

  it('injects a fault by hand from the inspector; the alarm it raises is tagged SIM', async () => {
    expect(await selectEquipment(trainer, 'L2-C3')).toBe(true);
    await trainer.getByTestId('inject-open').click();
    await trainer.getByTestId('inject-conveyor-jam').click();
    await trainer
      .locator('[data-testid="alarm-banner"] [data-testid="sim-tag"], .alarm-row [data-testid="sim-tag"]')
      .first()
      .waitFor({ timeout: 20_000 });
    await trainee.locator('.alarm-row [data-testid="sim-tag"]').first().waitFor({ timeout: 20_000 });
    // The jammed conveyor carries a "SIM" tag in the 3D scene too, on both pages.
    for (const page of [trainer, trainee]) {
      await page.waitForFunction(() => window.__twin?.simMarkers().includes('L2-C3') ?? false, undefined, {
        timeout: 20_000,
      });
      expect(await page.evaluate(() => window.__twin?.simMarkers())).toContain('L2-C3');
    }
    await shot(trainer, 'console');
    await shot(trainee, 'trainee-sim');
  });

  it('shows the report per trainee', async () => {
    await trainer.getByTestId('trainer-report-open').click();
    await trainer
      .getByTestId(`report-trainee-${server.users.operator.username}`)
      .waitFor({ timeout: 10_000 });
    await shot(trainer, 'report');
    const download = trainer.waitForEvent('download');
    await trainer.getByTestId('report-html').click();
    expect((await download).suggestedFilename()).toMatch(/\.html$/);
  });

  it('ends the session: the trainee sees the end screen', async () => {
    await trainer.getByTestId('report-close').click();
    await trainer.getByTestId('trainer-end').click();
    await trainee.getByTestId('training-ended').waitFor({ timeout: 10_000 });
    expect(server.app.training.find(code)).toBeFalsy();
    await shot(trainee, 'ended');
  }, 60_000);

  it('says so when a code is unknown, with a field to type another', async () => {
    const page = await browser.newPage();
    await logIn(page, `${server.url}/train/ZZZZZZ`, server.users.operator);
    await page.getByTestId('training-join-title').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('training-join-title').textContent()).toContain('ZZZZZZ');
    expect(await page.getByTestId('training-code-input').count()).toBe(1);
    await page.close();
  });

  it('logged no errors in the pages', () => {
    const real = (e: string[]) => e.filter((x) => !/WebGL|GPU stall|favicon|404/.test(x));
    expect(real(trainerErrors)).toEqual([]);
    expect(real(traineeErrors)).toEqual([]);
  });
});
