import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import { axeViolations, collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';

type Pos = { x: number; y: number } | null;
type Eq = { id: string; kind: string; zone?: string; position: number[] };
type Route = {
  id: string;
  drone: string;
  dock: string;
  indoor: boolean;
  speed: number;
  waypoints: number[][];
};
type Layout = {
  equipment: Eq[];
  paths?: { nodes: { id: string; position: number[] }[] };
  zones: { id: string; min: number[]; max: number[] }[];
  lines: { id: string; flow: string[] }[];
  droneRoutes: Route[];
  viewpoints: { id: string; position: number[]; target: number[] }[];
};
type Marks = { zones: string[]; lines: string[]; routes: string[] };
type Camera = { position: number[]; target: number[] } | null;

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

type Diag = {
  screenPosition: (id: string) => Pos;
  screenPoint: (x: number, y: number, z: number) => Pos;
  selection: () => string[];
  layout: () => Layout;
  errorMarks: () => Marks;
  camera: () => Camera;
};

/** Calls window.__design.`name`(...args) in the page. */
function diag<K extends keyof Diag>(
  page: Page,
  name: K,
  ...args: Parameters<Diag[K]>
): Promise<ReturnType<Diag[K]>> {
  return page.evaluate(
    ([n, a]) => {
      const d = (window as unknown as { __design?: Record<string, (...x: unknown[]) => unknown> }).__design;
      return d ? d[n as string](...(a as unknown[])) : null;
    },
    [name, args] as const,
  ) as Promise<ReturnType<Diag[K]>>;
}

const routeOf = (l: Layout, id: string) => l.droneRoutes.find((r) => r.id === id);
const eqOf = (l: Layout, id: string) => l.equipment.find((e) => e.id === id);

describe.skipIf(!hasChromium)(
  'drone routes, go to, error marks, box selection and automatic zones in a real browser',
  () => {
    let server: Awaited<ReturnType<typeof startAppServer>>;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let draftId = '';

    /** The draft as the server holds it, read over the API as the engineer. */
    const serverDraft = async () => {
      const login = await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(server.users.engineer),
      });
      const { token } = (await login.json()) as { token: string };
      const res = await fetch(`${server.url}/api/designs/${draftId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await res.json()) as { layout: Layout; errors: string[] };
    };
    /** Edits are saved as they are made: waits until this page's edits have all reached the server. */
    const save = () => poll(() => page.getByTestId('design-dirty').getAttribute('data-dirty')).toBe('false');
    const route = async (id: string) => routeOf(await diag(page, 'layout'), id);

    /** A floor spot (m) in view with no equipment, node or waypoint within 4 m, as [x, z]. */
    const emptySpot = async (skip = 0): Promise<[number, number]> => {
      const l = await diag(page, 'layout');
      const taken = [
        ...l.equipment.map((e) => [e.position[0], e.position[2]]),
        ...(l.paths?.nodes ?? []).map((n) => n.position),
        ...l.droneRoutes.flatMap((r) => r.waypoints.map((p) => [p[0], p[2]])),
      ];
      const xs = l.zones.flatMap((z) => [z.min[0], z.max[0]]);
      const zs = l.zones.flatMap((z) => [z.min[1], z.max[1]]);
      let found = 0;
      for (let x = Math.min(...xs); x <= Math.max(...xs); x += 3)
        for (let z = Math.min(...zs); z <= Math.max(...zs); z += 3) {
          if (taken.some(([a, b]) => Math.hypot(a - x, b - z) < 4)) continue;
          const p = await diag(page, 'screenPoint', x, 0, z);
          // Clear of the side panels and the bars.
          if (!p || p.x < 260 || p.x > 900 || p.y < 120 || p.y > 700) continue;
          if (found++ === skip) return [x, z];
        }
      throw new Error('no empty floor in view');
    };
    const clickFloor = async (x: number, z: number) => {
      const p = await diag(page, 'screenPoint', x, 0, z);
      await page.mouse.click(p!.x, p!.y);
    };

    beforeAll(async () => {
      server = await startAppServer({ designs: true });
      browser = await launchChromium();
      // axe-core goes in as an inline script, which the server's CSP forbids.
      page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      errors = collectErrors(page);
      await logIn(page, `${server.url}/design`, server.users.engineer);
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('opens a new draft of the live plant', async () => {
      await page.getByTestId('design-drafts').waitFor();
      await page.getByTestId('design-new-name').fill('Routes study');
      await page.getByTestId('design-new').click();
      await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
      draftId = /\/design\/(d-[0-9a-f]{12})$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
      await poll(() => diag(page, 'screenPosition', 'L1-R1')).not.toBeNull();
    }, 90_000);

    it('lists the plant’s drone routes and creates one for a drone from its dock, reported until it has two waypoints', async () => {
      await page.getByTestId('design-tab-routes').click();
      await poll(() => page.getByTestId('design-route-list').textContent()).toContain('RT-INV');
      expect(await page.getByTestId('design-route-RT-SUB').textContent()).toContain('DR-02');
      // Only drones and charging docks are offered.
      const drones = await page.getByTestId('design-route-new-drone').locator('option').allTextContents();
      expect(drones.slice(1).sort()).toEqual(['DR-01', 'DR-02']);
      const docks = await page.getByTestId('design-route-new-dock').locator('option').allTextContents();
      expect(docks).toContain('DR-PAD-01');
      expect(docks).not.toContain('DR-01');
      expect(await page.getByTestId('design-route-create').isDisabled()).toBe(true);
      await page.getByTestId('design-route-new-drone').selectOption('DR-01');
      await page.getByTestId('design-route-new-dock').selectOption('DR-PAD-01');
      await page.getByTestId('design-route-new-indoor').uncheck();
      await page.getByTestId('design-route-create').click();
      await poll(() => page.getByTestId('design-route-RT-01').getAttribute('aria-pressed')).toBe('true');
      expect(await route('RT-01')).toEqual({
        id: 'RT-01',
        drone: 'DR-01',
        dock: 'DR-PAD-01',
        indoor: false,
        speed: 1.3,
        waypoints: [],
      });
      // Adding in the view is on for the new route; the loader's problem shows on it and it is drawn red.
      expect(await page.getByTestId('design-route-add-points').getAttribute('aria-pressed')).toBe('true');
      await poll(() => page.getByTestId('design-route-problem').allTextContents()).toEqual([
        'droneRoutes[2].waypoints: a route needs at least 2 waypoints',
      ]);
      await poll(async () => (await diag(page, 'errorMarks')).routes).toEqual(['RT-01']);
      await save();
      expect((await serverDraft()).errors).toContain(
        'droneRoutes[2].waypoints: a route needs at least 2 waypoints',
      );
    }, 90_000);

    it('adds waypoints by clicking the floor, at the typed height and then at the previous one’s', async () => {
      // A height that is not a number is refused, and a click adds nothing meanwhile.
      await page.getByTestId('design-route-height').fill('high');
      await poll(() => page.getByTestId('design-route-height-problem').textContent()).toBe('Enter a number.');
      const [x0, z0] = await emptySpot(1);
      await clickFloor(x0, z0);
      await page.getByTestId('design-route-height').fill('4.5');
      expect(await page.getByTestId('design-route-height-problem').count()).toBe(0);
      const [x1, z1] = await emptySpot();
      await clickFloor(x1, z1);
      await poll(async () => (await route('RT-01'))?.waypoints).toEqual([[x1, 4.5, z1]]);
      // Empty again: the next one takes the previous waypoint's height (shown as the default).
      await page.getByTestId('design-route-height').fill('');
      expect(await page.getByTestId('design-route-height').getAttribute('placeholder')).toBe('default 4.5');
      const [x2, z2] = await emptySpot(3);
      await clickFloor(x2, z2);
      await poll(async () => (await route('RT-01'))?.waypoints).toEqual([
        [x1, 4.5, z1],
        [x2, 4.5, z2],
      ]);
      await page.getByTestId('design-route-height').fill('7');
      const [x3, z3] = await emptySpot(6);
      await clickFloor(x3, z3);
      await poll(async () => (await route('RT-01'))?.waypoints.length).toBe(3);
      expect((await route('RT-01'))?.waypoints[2]).toEqual([x3, 7, z3]);
      // Two waypoints or more: the problem and the red are gone.
      await poll(() => page.getByTestId('design-route-problem').count()).toBe(0);
      await poll(async () => (await diag(page, 'errorMarks')).routes).toEqual([]);
      await page.getByTestId('design-route-add-points').click();
      await page.screenshot({ path: 'test-results/design-routes-en.png' });
      expect(await axeViolations(page)).toEqual([]);
    }, 90_000);

    it('edits a waypoint’s height and speed in the form, reorders and deletes waypoints, and saves them', async () => {
      const y = page.getByTestId('design-wp-y').first();
      await y.fill('5');
      await y.press('Enter');
      await poll(async () => (await route('RT-01'))?.waypoints[0][1]).toBe(5);
      const speed = page.getByTestId('design-route-speed');
      await speed.fill('25');
      await poll(() => page.getByTestId('design-route-speed-problem').textContent()).toBe(
        'Must be at most 20.',
      );
      await speed.fill('3');
      await speed.press('Enter');
      await poll(async () => (await route('RT-01'))?.speed).toBe(3);
      const before = (await route('RT-01'))!.waypoints;
      await page.getByTestId('design-wp-up').last().click();
      await poll(async () => (await route('RT-01'))?.waypoints).toEqual([before[0], before[2], before[1]]);
      await page.getByTestId('design-wp-remove').nth(1).click();
      await poll(async () => (await route('RT-01'))?.waypoints).toEqual([before[0], before[1]]);
      await save();
      expect(routeOf((await serverDraft()).layout, 'RT-01')).toMatchObject({
        speed: 3,
        waypoints: [before[0], before[1]],
      });
    }, 90_000);

    it('drags a waypoint level across the view', async () => {
      const [p0] = (await route('RT-01'))!.waypoints;
      const q = await diag(page, 'screenPoint', p0[0], p0[1], p0[2]);
      const r = await diag(page, 'screenPoint', p0[0] + 3, p0[1], p0[2]);
      await page.mouse.move(q!.x, q!.y);
      await page.mouse.down();
      for (let i = 1; i <= 5; i++)
        await page.mouse.move(q!.x + ((r!.x - q!.x) * i) / 5, q!.y + ((r!.y - q!.y) * i) / 5);
      await page.mouse.up();
      await poll(async () => (await route('RT-01'))!.waypoints[0][0]).toBeGreaterThan(p0[0] + 1);
      const moved = (await route('RT-01'))!.waypoints[0];
      expect(moved[1]).toBe(p0[1]);
      expect(moved[0] % 0.5).toBe(0);
    }, 90_000);

    it('adds a waypoint at the view centre and deletes it again from the keyboard', async () => {
      const before = (await route('RT-01'))!.waypoints;
      const cam = (await diag(page, 'camera'))!;
      await page.getByTestId('design-route-height').fill('');
      await page.getByTestId('design-route-add-centre').focus();
      await page.keyboard.press('Enter');
      await poll(async () => (await route('RT-01'))?.waypoints.length).toBe(before.length + 1);
      const added = (await route('RT-01'))!.waypoints.at(-1)!;
      // On the 0.5 m grid (snap is on) at the previous waypoint's height.
      expect(Math.abs(added[0] - cam.target[0])).toBeLessThanOrEqual(0.25);
      expect(Math.abs(added[2] - cam.target[2])).toBeLessThanOrEqual(0.25);
      expect(added[1]).toBe(before.at(-1)![1]);
      await page.getByTestId('design-wp-remove').last().focus();
      await page.keyboard.press('Enter');
      await poll(async () => (await route('RT-01'))?.waypoints).toEqual(before);
    }, 90_000);

    it('marks a route red with its problem when it drops to one waypoint; clicking the problem opens it', async () => {
      await page.getByTestId('design-wp-remove').last().click();
      await poll(() => page.getByTestId('design-route-problem').count()).toBe(1);
      await poll(async () => (await diag(page, 'errorMarks')).routes).toEqual(['RT-01']);
      await page.getByTestId('design-tab-zones').click();
      await page.getByTestId('design-error').filter({ hasText: 'droneRoutes[2]' }).click();
      await poll(() => page.getByTestId('design-route-RT-01').getAttribute('aria-pressed')).toBe('true');
      // Deleting the route takes its problem with it.
      await page.getByTestId('design-route-delete').click();
      await poll(async () => (await diag(page, 'layout')).droneRoutes.map((r) => r.id)).toEqual([
        'RT-INV',
        'RT-SUB',
      ]);
      await poll(() => page.getByTestId('design-error').filter({ hasText: 'droneRoutes' }).count()).toBe(0);
      await save();
    }, 90_000);

    it('outlines a line’s members red while an error names the line, and clicking the error opens the line', async () => {
      await page.getByTestId('design-tab-equipment').click();
      await page.getByTestId('design-pick').selectOption('L1-R1');
      await page.getByTestId('design-delete').click();
      const error = page.getByTestId('design-error').filter({ hasText: 'unknown equipment "L1-R1"' });
      await poll(() => error.count()).toBe(1);
      await poll(async () => (await diag(page, 'errorMarks')).lines).toEqual(['L1']);
      await error.click();
      await poll(() => page.getByTestId('design-line-pick').inputValue()).toBe('L1');
      await page.getByTestId('design-tab-panel').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await poll(async () => eqOf(await diag(page, 'layout'), 'L1-R1')).toBeTruthy();
      await poll(async () => (await diag(page, 'errorMarks')).lines).toEqual([]);
    }, 90_000);

    it('outlines a zone red while an error names it', async () => {
      await page.getByTestId('design-tab-zones').click();
      await page.getByTestId('design-zone-pick').selectOption('UTIL');
      // A duplicate id is the server's to report (the id field takes it as typed).
      await page.getByTestId('design-zone-id').fill('HALL-A');
      await page.getByTestId('design-zone-id').press('Enter');
      const error = page.getByTestId('design-error').filter({ hasText: 'duplicate id "HALL-A"' });
      await poll(() => error.count()).toBe(1);
      await poll(async () => (await diag(page, 'errorMarks')).zones).toEqual(['HALL-A']);
      await page.getByTestId('design-tab-panel').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await poll(async () => (await diag(page, 'layout')).zones.map((z) => z.id)).toContain('UTIL');
      await poll(async () => (await diag(page, 'errorMarks')).zones).toEqual([]);
      await save();
      expect((await serverDraft()).errors).toEqual([]);
    }, 90_000);

    it('adds everything in a Shift+dragged floor rectangle to the selection', async () => {
      await page.getByTestId('design-tab-equipment').click();
      await page.getByTestId('design-pick').selectOption('L3-R1');
      const l = await diag(page, 'layout');
      const members = l.lines.find((x) => x.id === 'L1')!.flow.map((id) => eqOf(l, id)!);
      const zs = members.map((e) => e.position[2]);
      const [z0, z1] = [Math.min(...zs) - 1, Math.max(...zs) + 1];
      // The line's east part: the rectangle's corners clear of the side panels.
      const clear = (p: Pos) => p !== null && p.x > 280 && p.x < 900 && p.y > 130 && p.y < 690;
      const x1 = Math.max(...members.map((e) => e.position[0])) + 1;
      let x0 = x1 - 8;
      for (const e of [...members].sort((m, n) => m.position[0] - n.position[0])) {
        const p = await diag(page, 'screenPoint', e.position[0] - 1, 0, z0);
        if (clear(p) && clear(await diag(page, 'screenPoint', e.position[0] - 1, 0, z1))) {
          x0 = e.position[0] - 1;
          break;
        }
      }
      const inside = l.equipment
        .filter(
          (e) => e.position[0] >= x0 && e.position[0] <= x1 && e.position[2] >= z0 && e.position[2] <= z1,
        )
        .map((e) => e.id);
      const a = await diag(page, 'screenPoint', x0, 0, z0);
      const b = await diag(page, 'screenPoint', x1, 0, z1);
      expect(clear(a) && clear(b)).toBe(true);
      expect(inside.length).toBeGreaterThan(3);
      const camBefore = await diag(page, 'camera');
      await page.keyboard.down('Shift');
      await page.mouse.move(a!.x, a!.y);
      await page.mouse.down();
      for (let i = 1; i <= 6; i++)
        await page.mouse.move(a!.x + ((b!.x - a!.x) * i) / 6, a!.y + ((b!.y - a!.y) * i) / 6);
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await poll(async () => (await diag(page, 'selection')).length).toBe(1 + inside.length);
      const sel = await diag(page, 'selection');
      expect(sel[0]).toBe('L3-R1');
      expect(sel.slice(1).sort()).toEqual([...inside].sort());
      // Shift+drag drew the rectangle instead of panning the view.
      expect(await diag(page, 'camera')).toEqual(camBefore);
    }, 90_000);

    it('gives equipment moved wholly into another zone that zone', async () => {
      await page.keyboard.press('Escape');
      await page.getByTestId('design-pick').selectOption('L1-VIS');
      expect(eqOf(await diag(page, 'layout'), 'L1-VIS')?.zone).toBe('HALL-A');
      await page.getByTestId('design-field-x').fill('100');
      await page.getByTestId('design-field-x').press('Enter');
      await poll(async () => eqOf(await diag(page, 'layout'), 'L1-VIS')?.zone).toBe('WH-1');
      await save();
      expect(eqOf((await serverDraft()).layout, 'L1-VIS')).toMatchObject({ zone: 'WH-1' });
      expect((await serverDraft()).errors.filter((e) => e.includes('L1-VIS'))).toEqual([]);
    }, 90_000);

    it('moves the camera to a viewpoint with Go to', async () => {
      await page.getByTestId('design-tab-views').click();
      const vp = (await diag(page, 'layout')).viewpoints.find((v) => v.id === 'VP-HALL')!;
      expect(await diag(page, 'camera')).not.toEqual({ position: vp.position, target: vp.target });
      await page
        .getByRole('button', { name: 'Go to the view Assembly Hall A overview: move the camera there' })
        .click();
      const off = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
      await poll(async () => off((await diag(page, 'camera'))!.target, vp.target)).toBeLessThan(0.05);
      expect(off((await diag(page, 'camera'))!.position, vp.position)).toBeLessThan(0.05);
      expect(await axeViolations(page)).toEqual([]);
    }, 90_000);

    it('shows the Routes tab in Chinese, axe clean', async () => {
      await page.goto(`${server.url}/design/${draftId}?lang=zh-CN`);
      await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
      await poll(() => diag(page, 'screenPosition', 'L1-R1')).not.toBeNull();
      expect(await page.getByTestId('design-tab-routes').textContent()).toBe('航线');
      await page.getByTestId('design-tab-routes').click();
      await page.getByTestId('design-route-RT-SUB').click();
      expect(await page.getByTestId('design-route-delete').textContent()).toBe('删除航线');
      await page.screenshot({ path: 'test-results/design-routes-zh-CN.png' });
      expect(await axeViolations(page)).toEqual([]);
      await page.getByTestId('design-tab-views').click();
      expect(await page.getByTestId('design-view-go').first().textContent()).toBe('前往');
    }, 90_000);

    it('logged no errors in the page', () => {
      expect(errors).toEqual([]);
    });
  },
);
