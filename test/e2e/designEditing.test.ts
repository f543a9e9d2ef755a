import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import { collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';

type Pos = { x: number; y: number } | null;
type Eq = {
  id: string;
  kind: string;
  position: number[];
  rotation?: number;
  props?: Record<string, unknown>;
};
type Layout = {
  equipment: Eq[];
  paths?: { nodes: { id: string; position: number[] }[]; edges: string[][] };
  zones: { id: string; min: number[]; max: number[] }[];
  lines: { id: string; flow: string[]; targetPerHour: number }[];
  viewpoints: { id: string; name: string }[];
};

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const r = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

type Diag = {
  screenPosition: (id: string) => Pos;
  screenPoint: (x: number, y: number, z: number) => Pos;
  selection: () => string[];
  layout: () => Layout;
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

const eqOf = (l: Layout, id: string) => l.equipment.find((e) => e.id === id);

describe.skipIf(!hasChromium)('design editing in a real browser', () => {
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

  const dirty = () => page.getByTestId('design-dirty').getAttribute('data-dirty');
  const save = async () => {
    await page.getByTestId('design-save').click();
    await poll(dirty).toBe('false');
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
    await page.getByTestId('design-new-name').fill('Editing study');
    await page.getByTestId('design-new').click();
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    draftId = /\/design\/(d-[0-9a-f]{12})$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    await poll(() => diag(page, 'screenPosition', 'L1-R1')).not.toBeNull();
  }, 90_000);

  it('checks a prop as it is typed, does not apply an invalid value, and applies and saves a valid one', async () => {
    await page.getByTestId('design-pick').selectOption('L1-R1');
    const cycle = page.getByTestId('design-prop-cycleS');
    await cycle.fill('130');
    await poll(() => page.getByTestId('design-prop-cycleS-problem').textContent()).toBe(
      'Must be at most 120.',
    );
    expect(await cycle.getAttribute('aria-invalid')).toBe('true');
    await cycle.press('Enter');
    expect(await dirty()).toBe('false');
    await cycle.fill('8,5');
    await poll(() => page.getByTestId('design-prop-cycleS-problem').count()).toBe(0);
    await cycle.press('Enter');
    await poll(dirty).toBe('true');
    await page.getByTestId('design-prop-task').selectOption('screwdriving');
    await page.getByTestId('design-field-name-zh').fill('一号机器人');
    await page.getByTestId('design-field-name-zh').press('Enter');
    await page.screenshot({ path: 'test-results/design-props-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    await save();
    const r1 = eqOf((await serverDraft()).layout, 'L1-R1') as Eq & { names?: Record<string, string> };
    expect(r1.props).toMatchObject({ cycleS: 8.5, task: 'screwdriving' });
    expect(r1.names).toEqual({ 'zh-CN': '一号机器人' });
  }, 90_000);

  it('selects two robots with Shift+click and moves them together with the gizmo', async () => {
    await page.getByTestId('design-pick').selectOption('L1-R1');
    const p2 = await diag(page, 'screenPosition', 'L1-R2');
    expect(p2).not.toBeNull();
    await page.keyboard.down('Shift');
    await page.mouse.click(p2!.x, p2!.y);
    await page.keyboard.up('Shift');
    await poll(() => diag(page, 'selection')).toEqual(['L1-R1', 'L1-R2']);
    const before = await diag(page, 'layout');
    const [a, b] = [eqOf(before, 'L1-R1')!, eqOf(before, 'L1-R2')!];
    // The gizmo sits on L1-R2 (the last picked): drag its z handle 120 px along the projected +z.
    const [o, e] = await Promise.all([
      diag(page, 'screenPoint', b.position[0], 0, b.position[2]),
      diag(page, 'screenPoint', b.position[0], 0, b.position[2] + 1),
    ]);
    const len = Math.hypot(e!.x - o!.x, e!.y - o!.y);
    const [ux, uy] = [(e!.x - o!.x) / len, (e!.y - o!.y) / len];
    await page.mouse.move(o!.x + ux * 40, o!.y + uy * 40);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(o!.x + ux * (40 + 20 * i), o!.y + uy * (40 + 20 * i));
    await page.mouse.up();
    await poll(async () => eqOf(await diag(page, 'layout'), 'L1-R2')!.position[2]).toBeGreaterThan(
      b.position[2],
    );
    const after = await diag(page, 'layout');
    const dz = eqOf(after, 'L1-R2')!.position[2] - b.position[2];
    expect(eqOf(after, 'L1-R1')!.position[2] - a.position[2]).toBeCloseTo(dz, 6);
    expect(eqOf(after, 'L1-R1')!.position[0]).toBe(a.position[0]);
    expect(eqOf(after, 'L1-R2')!.position[0]).toBe(b.position[0]);
  }, 90_000);

  it('copies the selection with Ctrl+C and pastes it beside with fresh ids with Ctrl+V', async () => {
    const count = (await diag(page, 'layout')).equipment.length;
    await page.locator('body').click({ position: { x: 640, y: 790 } });
    // The click on the floor cleared the selection: select the two again from the list and the view.
    await page.getByTestId('design-pick').selectOption('L1-R1');
    const p2 = await diag(page, 'screenPosition', 'L1-R2');
    await page.keyboard.down('Control');
    await page.mouse.click(p2!.x, p2!.y);
    await page.keyboard.up('Control');
    await poll(() => diag(page, 'selection')).toEqual(['L1-R1', 'L1-R2']);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await poll(async () => (await diag(page, 'layout')).equipment.length).toBe(count + 2);
    const ids = await diag(page, 'selection');
    expect(ids).toHaveLength(2);
    expect(ids.some((id) => id.startsWith('L1-R') && id !== 'L1-R1' && id !== 'L1-R2')).toBe(true);
    const l = await diag(page, 'layout');
    expect(eqOf(l, ids[0])!.position[0]).toBe(eqOf(l, 'L1-R1')!.position[0] + 2);
    // Delete removes both copies.
    await page.keyboard.press('Delete');
    await poll(async () => (await diag(page, 'layout')).equipment.length).toBe(count);
  }, 90_000);

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
