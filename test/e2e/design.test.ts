import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapToNeighbours } from '../../client/design/edits/selectionEdits';
import type { DraftLayout } from '../../client/design/layoutEdits';
import { startAppServer } from '../helpers/appServer';
import { axeViolations, collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';

type Pos = { x: number; y: number } | null;

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

/** Where equipment `id` is on screen in the design view (window.__design.screenPosition). */
function designPos(page: Page, id: string): Promise<Pos> {
  return page.evaluate(
    (x) =>
      (window as unknown as { __design?: { screenPosition: (id: string) => Pos } }).__design?.screenPosition(
        x,
      ) ?? null,
    id,
  );
}

describe.skipIf(!hasChromium)('design mode in a real browser', () => {
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
    return (await res.json()) as {
      design: { versions: number };
      layout: { equipment: { id: string; kind: string; position: number[]; rotation?: number }[] };
      errors: string[];
    };
  };

  beforeAll(async () => {
    server = await startAppServer({ designs: true });
    browser = await launchChromium();
    // axe-core goes in as an inline script, which the server's CSP forbids.
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    errors = collectErrors(page);
    await logIn(page, `${server.url}/design`, server.users.engineer);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a draft from the live plant and opens it in the editor', async () => {
    await page.getByTestId('design-drafts').waitFor();
    await page.getByTestId('design-new-name').fill('Line 4 study');
    await page.getByTestId('design-new').click();
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    draftId = /\/design\/(d-[0-9a-f]{12})$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    expect(draftId).toMatch(/^d-/);
    await poll(() => designPos(page, 'L1-R1')).not.toBeNull();
  }, 90_000);

  it('selects a robot by clicking it in the view', async () => {
    const pos = await designPos(page, 'L1-R1');
    expect(pos).not.toBeNull();
    await page.mouse.click(pos!.x, pos!.y);
    await poll(() => page.getByTestId('design-field-id').inputValue()).toBe('L1-R1');
    expect(await page.getByTestId('design-kind').textContent()).toBe('Robot arm');
  });

  it('moves the robot with the numeric fields, adds a conveyor from the palette, both saved as made', async () => {
    await page.getByTestId('design-field-x').fill('60');
    await page.getByTestId('design-field-x').press('Enter');
    await page.getByTestId('design-field-z').fill('20.5');
    await page.getByTestId('design-field-z').press('Enter');
    await page.getByTestId('design-field-rotation').fill('375');
    await page.getByTestId('design-field-rotation').press('Enter');
    await poll(() => page.getByTestId('design-field-rotation').inputValue()).toBe('15');
    await page.getByTestId('design-add-conveyor').click();
    await poll(() => page.getByTestId('design-field-id').inputValue()).toBe('CONV-01');
    // No Save button: every edit is saved as it is made.
    expect(await page.getByTestId('design-save').count()).toBe(0);
    await poll(async () => (await serverDraft()).layout.equipment.some((e) => e.id === 'CONV-01')).toBe(true);
    await poll(() => page.getByTestId('design-dirty').getAttribute('data-dirty')).toBe('false');
    expect(await page.getByTestId('design-dirty').textContent()).toBe('Saved');
    const d = await serverDraft();
    const robot = d.layout.equipment.find((e) => e.id === 'L1-R1');
    expect(robot?.position).toEqual([60, 0, 20.5]);
    expect(robot?.rotation).toBe(15);
    expect(d.layout.equipment.find((e) => e.id === 'CONV-01')?.kind).toBe('conveyor');
    expect(d.errors).toEqual([]);
    expect(await page.getByTestId('design-error').count()).toBe(0);
  }, 90_000);

  it('moves the selected robot with the gizmo’s x handle, snapped to the 0.5 m grid or a neighbour', async () => {
    await page.getByTestId('design-pick').selectOption('L2-R3');
    const before = Number(await page.getByTestId('design-field-x').inputValue());
    const z = await page.getByTestId('design-field-z').inputValue();
    const layout = await page.evaluate(() =>
      (window as unknown as { __design: { layout: () => DraftLayout } }).__design.layout(),
    );
    // Along the projected +x axis from the gizmo's origin (on the floor under the robot).
    const [o, e] = await page.evaluate(
      ([x, zz]) => {
        const d = (
          window as unknown as { __design: { screenPoint: (x: number, y: number, z: number) => Pos } }
        ).__design;
        return [d.screenPoint(x, 0, zz), d.screenPoint(x + 1, 0, zz)];
      },
      [before, Number(z)],
    );
    expect(o && e).toBeTruthy();
    const len = Math.hypot(e!.x - o!.x, e!.y - o!.y);
    const [ux, uy] = [(e!.x - o!.x) / len, (e!.y - o!.y) / len];
    // Within the arrow's shaft (the gizmo keeps its size on screen), then dragged 120 px further.
    await page.mouse.move(o!.x + ux * 40, o!.y + uy * 40);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) await page.mouse.move(o!.x + ux * (40 + 20 * i), o!.y + uy * (40 + 20 * i));
    await page.mouse.up();
    await expect
      .poll(async () => Number(await page.getByTestId('design-field-x').inputValue()))
      .toBeGreaterThan(before);
    const after = Number(await page.getByTestId('design-field-x').inputValue());
    // On the 0.5 m grid, or pulled from a grid point onto a neighbour's edge or centre.
    const landings = [Math.floor(after * 2) / 2, Math.ceil(after * 2) / 2].map(
      (g) => before + snapToNeighbours(layout, ['L2-R3'], g - before, 0, { x: true, z: false }).dx,
    );
    expect(landings.some((x) => Math.abs(x - after) < 1e-6)).toBe(true);
    expect(await page.getByTestId('design-field-z').inputValue()).toBe(z);
    expect(await page.getByTestId('design-field-id').inputValue()).toBe('L2-R3');
  }, 90_000);

  it('saves a version with a message', async () => {
    await page.getByTestId('design-version-message').fill('Robot moved, conveyor added');
    await page.getByTestId('design-version').click();
    await poll(() => page.getByTestId('design-notice').textContent()).toMatch(/Version saved/);
    expect(await page.getByTestId('design-dirty').getAttribute('data-dirty')).toBe('false');
    // Saving a version saved the gizmo's unsaved move first.
    const d = await serverDraft();
    expect(d.design.versions).toBe(1);
    expect(d.layout.equipment.find((x) => x.id === 'L2-R3')?.position[0]).toBe(
      Number(await page.getByTestId('design-field-x').inputValue()),
    );
  });

  it('shows the server’s error for a duplicate id, selects its equipment from the list, and undoes it', async () => {
    await page.getByTestId('design-pick').selectOption('L1-R2');
    await page.getByTestId('design-field-id').fill('L1-R1');
    await page.getByTestId('design-field-id').press('Enter');
    const error = page.getByTestId('design-error').first();
    await poll(() => error.textContent()).toMatch(/duplicate id "L1-R1"/);
    await page.getByTestId('design-pick').selectOption('');
    await error.click();
    await poll(() => page.getByTestId('design-field-id').inputValue()).toBe('L1-R1');
    await page.screenshot({ path: 'test-results/design-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: 'test-results/design-en-1920.png' });
    await page.setViewportSize({ width: 1280, height: 720 });
    // Ctrl+Z outside the fields undoes the rename, on the server too.
    await page.locator('body').click({ position: { x: 640, y: 700 } });
    await page.keyboard.press('Control+z');
    await poll(() => page.getByTestId('design-pick').locator('option', { hasText: 'L1-R2' }).count()).toBe(1);
    await poll(async () => (await serverDraft()).layout.equipment.some((e) => e.id === 'L1-R2')).toBe(true);
  }, 90_000);

  it('adds equipment from the keyboard, with the focus visible', async () => {
    await page.locator('body').click({ position: { x: 640, y: 700 } });
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'design-add-agv'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(
        () => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '',
      );
    }
    expect(focused).toBe('design-add-agv');
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('design-field-id').inputValue()).toMatch(/^AGV-\d+$/);
    const added = await page.getByTestId('design-field-id').inputValue();
    await page.screenshot({ path: 'test-results/design-keyboard.png' });
    // Ctrl+D duplicates it (the copy is selected), Delete removes the copy.
    await page.keyboard.press('Control+d');
    await poll(() => page.getByTestId('design-field-id').inputValue()).not.toBe(added);
    const copy = await page.getByTestId('design-field-id').inputValue();
    expect(copy).toMatch(/^AGV-\d+$/);
    await page.keyboard.press('Delete');
    await poll(() => page.getByTestId('design-pick').inputValue()).toBe('');
    expect(await page.getByTestId('design-pick').locator(`option[value="${copy}"]`).count()).toBe(0);
    expect(await page.getByTestId('design-pick').locator(`option[value="${added}"]`).count()).toBe(1);
  }, 90_000);

  it('shows the editor in Chinese', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/design/${draftId}?lang=zh-CN`);
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    await poll(() => page.getByTestId('design-palette').textContent()).toContain('添加设备');
    await poll(() => page.getByTestId('design-dirty').textContent()).toBe('已保存');
    await poll(() => designPos(page, 'L1-R1')).not.toBeNull();
    await page.getByTestId('design-pick').selectOption('L1-R1');
    await page.screenshot({ path: 'test-results/design-zh-CN.png' });
    await page.goto(`${server.url}/design?lang=zh-CN`);
    await page.getByTestId('design-drafts').waitFor();
    expect(await page.getByTestId('design-drafts').textContent()).toContain('布局草稿');
    await page.screenshot({ path: 'test-results/design-drafts-zh-CN.png' });
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it('refuses an operator with a clear text', async () => {
    const ctx = await browser.newContext({ viewport: { width: 960, height: 600 } });
    const op = await ctx.newPage();
    try {
      await logIn(op, `${server.url}/design?lang=en`, server.users.operator);
      await op.getByTestId('design-refused').waitFor();
      expect(await op.getByTestId('design-refused').textContent()).toMatch(/engineers and administrators/);
      await op.screenshot({ path: 'test-results/design-refused.png' });
    } finally {
      await ctx.close();
    }
  }, 90_000);

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
