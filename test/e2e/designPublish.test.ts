import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout } from '../../protocol';
import { startAppServer } from '../helpers/appServer';
import {
  axeViolations,
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  twinStats,
  waitForLivePlant,
} from '../helpers/browser';

type Pos = { x: number; y: number } | null;

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 200 });

/** Where the operator's scene draws equipment `id` (null: not in the scene or off screen). */
function scenePos(page: Page, id: string): Promise<Pos> {
  return page.evaluate(
    (x) =>
      (window as unknown as { __twin: { screenPosition: (id: string) => Pos } }).__twin.screenPosition(x),
    id,
  );
}

describe.skipIf(!hasChromium)('publishing a design version to the live plant in a real browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Browser;
  let operator: Page;
  let admin: Page;
  let errors: string[];
  let removed = '';
  let versionMessage = '';

  const api = async (
    user: { username: string; password: string },
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    server = await startAppServer({ designs: true });
    browser = await launchChromium();
    operator = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    errors = collectErrors(operator);
    await logIn(operator, server.url, server.users.operator);
    await waitForLivePlant(operator, 90_000);
    // A marker a reload would lose.
    await operator.evaluate(() => {
      (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
    });
    // A conveyor the operator's camera shows, taken out of the layout (and its line's flow).
    const live = server.session.layout;
    for (const e of live.equipment.filter((x) => x.kind === 'conveyor'))
      if (!removed && (await scenePos(operator, e.id))) removed = e.id;
    expect(removed).not.toBe('');
    const next: Layout = structuredClone(live);
    next.equipment = next.equipment.filter((e) => e.id !== removed);
    for (const line of next.lines) line.flow = line.flow.filter((x) => x !== removed);
    const eng = server.users.engineer;
    const d = (await api(eng, 'POST', '/api/designs', { name: 'Without a conveyor' })).design as {
      id: string;
    };
    await api(eng, 'PUT', `/api/designs/${d.id}/layout`, { layout: next });
    versionMessage = `remove ${removed}`;
    await api(eng, 'POST', `/api/designs/${d.id}/versions`, { message: versionMessage });
    admin = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    await logIn(admin, `${server.url}/design`, server.users.admin);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an operator sees the new layout without a reload when an admin publishes it from the design page', async () => {
    expect((await twinStats(operator)).equipment).toBe(72);
    const panel = admin.getByTestId('publish-panel');
    await panel.waitFor();
    await admin.getByTestId('publish-draft').selectOption({ label: 'Without a conveyor' });
    await poll(() => admin.getByTestId('publish-version').locator('option').count()).toBe(2);
    await admin.getByTestId('publish-version').selectOption({ index: 1 });
    await admin.getByTestId('publish-open').click();
    const dialog = admin.getByTestId('publish-dialog');
    await dialog.waitFor();
    await expect
      .poll(() => admin.getByTestId('publish-summary').textContent(), { timeout: 15_000 })
      .toContain('72 → 71');
    expect(await axeViolations(admin)).toEqual([]);
    await admin.getByTestId('publish-confirm').click();
    await admin.getByTestId('publish-done').waitFor({ timeout: 15_000 });

    await poll(async () => (await twinStats(operator)).equipment).toBe(71);
    await poll(() => scenePos(operator, removed)).toBeNull();
    // Still streaming on the same page and connection.
    const frames = (await twinStats(operator)).telemetryFrames;
    await poll(async () => (await twinStats(operator)).telemetryFrames).toBeGreaterThan(frames + 5);
    expect((await twinStats(operator)).connected).toBe(true);
    expect(
      await operator.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded),
    ).toBe(true);

    await admin.getByTestId('publish-close').click();
    await dialog.waitFor({ state: 'detached' });
    const rows = admin.getByTestId('published-versions').locator('tbody tr');
    await poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(versionMessage);
  }, 180_000);

  it('rolls the live plant back to the plant file from the published versions, and the operator sees it return', async () => {
    await admin.getByTestId('rollback-0').click();
    await expect
      .poll(() => admin.getByTestId('publish-summary').textContent(), { timeout: 15_000 })
      .toContain('71 → 72');
    await admin.getByTestId('publish-confirm').click();
    await admin.getByTestId('publish-done').waitFor({ timeout: 15_000 });
    await poll(async () => (await twinStats(operator)).equipment).toBe(72);
    await poll(async () => (await scenePos(operator, removed)) !== null).toBe(true);
    await admin.getByTestId('publish-close').click();
    await poll(() => admin.getByTestId('published-versions').locator('tbody tr').count()).toBe(3);
    expect(
      await operator.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded),
    ).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows engineers the publish button disabled, with the reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await logIn(page, `${server.url}/design`, server.users.engineer);
      await page.getByTestId('publish-panel').waitFor();
      expect(await page.getByTestId('publish-blocked').textContent()).toContain('Only administrators');
      expect(await page.getByTestId('publish-open').isDisabled()).toBe(true);
      await poll(() => page.getByTestId('rollback-0').count()).toBe(1);
      expect(await page.getByTestId('rollback-0').isDisabled()).toBe(true);
    } finally {
      await page.close();
    }
  }, 120_000);
});
