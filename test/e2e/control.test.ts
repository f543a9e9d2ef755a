import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import {
  collectErrors,
  hasChromium,
  launchChromium,
  logIn,
  selectEquipment,
  waitForLivePlant,
} from '../helpers/browser';

/** The page's stored login (sessionStorage), as the client keeps it. */
const storedToken = (page: Page) =>
  page.evaluate(() => {
    const raw = sessionStorage.getItem('plant-twin.auth');
    return raw ? (JSON.parse(raw) as { token: string }).token : null;
  });

describe.skipIf(!hasChromium)('remote equipment control (real server, real browser)', () => {
  let server: AppServer;
  let browser: Browser;
  let agvId = '';
  let node = '';

  /** Distance of an AGV from a path node on the server, m. */
  const distance = (id: string, nodeId: string): number => {
    const eq = server.session.world.equipment.find((e) => e.id === id);
    const n = server.session.layout.paths?.nodes.find((x) => x.id === nodeId);
    if (!eq?.pose || !n) return Number.NaN;
    return Math.hypot(eq.pose[0] - n.position[0], eq.pose[2] - n.position[1]);
  };

  beforeAll(async () => {
    // 10× speed: an AGV crosses the warehouse in a few seconds.
    server = await startAppServer({ speed: 10, seed: 3 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('as an operator', () => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      errors = collectErrors(page);
      await logIn(page, server.url, server.users.operator);
      await waitForLivePlant(page);
    });

    afterAll(async () => {
      await page?.close();
    });

    it('shows who is logged in and as what', async () => {
      const chip = await page.getByTestId('user-chip').textContent();
      expect(chip).toContain(server.users.operator.username);
      expect(chip).toMatch(/operator/i);
      // Operators do not read the audit trail.
      expect(await page.getByTestId('audit-open').count()).toBe(0);
    });

    it('sends an AGV to a node after a confirmation, and the AGV drives there', async () => {
      // Any AGV the camera shows; its target: its own home when it is away from it (nobody else
      // parks there), else a free charging dock over 10 m away.
      const layout = server.session.layout;
      const agvs = layout.equipment.filter((e) => e.kind === 'agv');
      const chargers = layout.equipment
        .filter((e) => e.kind === 'charging-dock')
        .map((e) => (e.props as { node?: string }).node)
        .filter((n): n is string => n !== undefined);
      const free = (n: string) => agvs.every((a) => distance(a.id, n) > 3);
      for (const a of agvs) {
        if (!(await selectEquipment(page, a.id))) continue;
        const home = (a.props as { home: string }).home;
        const target =
          distance(a.id, home) > 10
            ? home
            : chargers
                .filter((n) => free(n) && distance(a.id, n) > 10)
                .sort((x, y) => distance(a.id, y) - distance(a.id, x))[0];
        if (target) {
          agvId = a.id;
          node = target;
          break;
        }
      }
      expect(agvId, 'a visible AGV with a free stop over 10 m away').not.toBe('');
      const before = distance(agvId, node);

      // Safety first: E-stop leads the AGV's buttons only where it exists; an AGV has pause/resume/go-to/dock.
      for (const action of ['pause', 'resume', 'go-to', 'dock'])
        expect(await page.getByTestId(`command-${action}`).count(), action).toBe(1);
      const select_ = page.getByTestId('command-node-select');
      await select_.selectOption(node);
      await page.getByTestId('command-go-to').click();

      // The server asks for a deliberate confirmation, bound to this command, with a countdown.
      const step = page.getByTestId('command-confirm-step');
      await step.waitFor({ timeout: 10_000 });
      const question = (await step.textContent()) ?? '';
      expect(question).toContain(agvId);
      expect(question).toContain(node);
      expect(await page.getByTestId('command-countdown').textContent()).toMatch(/\b([12]\d|30) s/);
      await page.getByTestId('command-confirm').click();

      await expect
        .poll(() => page.getByTestId('command-result').textContent(), { timeout: 10_000 })
        .toContain(agvId);
      expect(await page.getByTestId('command-result').getAttribute('data-tone')).toBe('ok');

      // The AGV drives along the graph to the node and waits there.
      await expect.poll(() => distance(agvId, node), { timeout: 45_000, interval: 500 }).toBeLessThan(1);
      expect(before).toBeGreaterThan(10);
    }, 120_000);

    it('logs out to the login page, and the server forgets the session', async () => {
      const token = await storedToken(page);
      expect(token).not.toBeNull();
      await page.getByTestId('logout').click();
      await page.getByTestId('login-screen').waitFor({ timeout: 3000 });
      expect(await page.getByTestId('login-notice').textContent()).toMatch(/logged out/i);
      expect(await storedToken(page)).toBeNull();
      await expect
        .poll(
          async () =>
            (await fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } }))
              .status,
        )
        .toBe(401);
    });

    it('logs no console errors', () => {
      expect(errors).toEqual([]);
    });
  });

  describe('as a viewer', () => {
    let page: Page;

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await logIn(page, server.url, server.users.viewer);
      await waitForLivePlant(page);
    });

    afterAll(async () => {
      await page?.close();
    });

    it('sees no command buttons and no alarm actions', async () => {
      const agvs = server.session.layout.equipment.filter((e) => e.kind === 'agv').map((e) => e.id);
      let selected = false;
      for (const id of agvs) if (!selected) selected = await selectEquipment(page, id);
      expect(selected).toBe(true);
      expect(await page.getByTestId('inspector').isVisible()).toBe(true);
      expect(await page.getByTestId('commands').count()).toBe(0);
      expect(await page.locator('[data-testid^="command-"]').count()).toBe(0);
      expect(await page.getByTestId('alarm-ack-visible').count()).toBe(0);
      expect(await page.locator('[data-testid^="alarm-ack-"]').count()).toBe(0);
    }, 60_000);

    it('returns to the login page within 2 s when the session is revoked on the server', async () => {
      const token = await storedToken(page);
      expect(token).not.toBeNull();
      const viewerSockets = () =>
        [...server.app.io.of('/').sockets.values()].filter((s) => s.data.role === 'viewer').length;
      expect(viewerSockets()).toBeGreaterThan(0);
      expect(server.auth.logout(token, 'test')).toBe(true);
      // The server closes the revoked session's sockets within 2 s (it checks every 250 ms); the page
      // then draws the login page, which under a loaded software renderer may take longer.
      await expect.poll(viewerSockets, { timeout: 2000, interval: 50 }).toBe(0);
      await page.getByTestId('login-screen').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('login-notice').textContent()).not.toBe('');
      // The plant is gone from the page (not left frozen behind the login page).
      await expect.poll(() => page.locator('canvas').count(), { timeout: 5000 }).toBe(0);
    });
  });

  describe('as an admin', () => {
    let page: Page;

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    });

    afterAll(async () => {
      await page?.close();
    });

    it('says so clearly when the password is wrong', async () => {
      await page.goto(server.url);
      await page.getByTestId('login-username').fill(server.users.admin.username);
      await page.getByTestId('login-password').fill('not-the-password');
      await page.getByTestId('login-submit').click();
      await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/wrong/i);
      expect(await page.getByTestId('login-password').inputValue()).toBe('');
    });

    it('opens the audit trail and finds the operator’s go-to command', async () => {
      expect(agvId, 'the operator test ran first').not.toBe('');
      await logIn(page, server.url, server.users.admin);
      await page.getByTestId('audit-open').click();
      const row = page.locator(
        `[data-testid="audit-row"][data-action="command:go-to"][data-target="${agvId}"]`,
      );
      await row.first().waitFor({ timeout: 10_000 });
      const text = (await row.first().textContent()) ?? '';
      expect(text).toContain(server.users.operator.username);
      expect(text).toContain(node);
      expect(await row.first().getAttribute('data-result')).toBe('ok');
      // Filtered by user and action: only that user's commands remain.
      await page.getByTestId('audit-filter-user').fill(server.users.operator.username);
      await page.getByTestId('audit-filter-action').fill('command:*');
      await page.getByTestId('audit-apply').click();
      await expect
        .poll(async () => {
          const actions = await page
            .locator('[data-testid="audit-row"]')
            .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
          return actions.length > 0 && actions.every((a) => a?.startsWith('command:'));
        })
        .toBe(true);
    }, 60_000);
  });
});
