import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/appServer';
import { axeViolations, collectErrors, hasChromium, launchChromium, logIn } from '../helpers/browser';

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
  /** Edits are saved as they are made: waits until this page's edits have all reached the server. */
  const save = async () => {
    await poll(dirty).toBe('false');
  };
  /** A prop of equipment `id` in the layout the page holds now. */
  const localProp = async (id: string, prop: string) =>
    (eqOf((await diag(page, 'layout')) as Layout, id)?.props as Record<string, unknown> | undefined)?.[prop];

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
    const before = await localProp('L1-R1', 'cycleS');
    await cycle.press('Enter');
    expect(await localProp('L1-R1', 'cycleS')).toBe(before);
    await cycle.fill('8,5');
    await poll(() => page.getByTestId('design-prop-cycleS-problem').count()).toBe(0);
    await cycle.press('Enter');
    await poll(() => localProp('L1-R1', 'cycleS')).toBe(8.5);
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

  /** A floor spot (m) in view with no equipment or node within 4 m, as [x, z]. */
  const emptySpot = async (skip = 0): Promise<[number, number]> => {
    const l = await diag(page, 'layout');
    const taken = [
      ...l.equipment.map((e) => [e.position[0], e.position[2]]),
      ...(l.paths?.nodes ?? []).map((n) => n.position),
    ];
    const xs = l.zones.flatMap((z) => [z.min[0], z.max[0]]);
    const zs = l.zones.flatMap((z) => [z.min[1], z.max[1]]);
    let found = 0;
    for (let x = Math.min(...xs); x <= Math.max(...xs); x += 3)
      for (let z = Math.min(...zs); z <= Math.max(...zs); z += 3) {
        if (taken.some(([a, b]) => Math.hypot(a - x, b - z) < 4)) continue;
        const p = await diag(page, 'screenPoint', x, 0, z);
        // Clear of the side panels and the bars.
        if (!p || p.x < 260 || p.x > 980 || p.y < 120 || p.y > 700) continue;
        if (found++ === skip) return [x, z];
      }
    throw new Error('no empty floor in view');
  };

  it('draws two path nodes on the floor and connects them with Shift+click', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('design-path-tool').click();
    expect(await page.getByTestId('design-path-tool').getAttribute('aria-pressed')).toBe('true');
    const [x1, z1] = await emptySpot();
    const p1 = await diag(page, 'screenPoint', x1, 0, z1);
    await page.mouse.click(p1!.x, p1!.y);
    await poll(() =>
      page.evaluate(() => (window as unknown as { __design: { node: () => string } }).__design.node()),
    ).toBe('N-01');
    const [x2, z2] = await emptySpot(3);
    const p2 = await diag(page, 'screenPoint', x2, 0, z2);
    await page.mouse.click(p2!.x, p2!.y);
    await poll(() => page.getByTestId('design-node-id').textContent()).toBe('Node N-02');
    // Shift+click on N-01 connects the chosen N-02 to it.
    const n1 = (await diag(page, 'layout')).paths!.nodes.find((n) => n.id === 'N-01')!;
    const q = await diag(page, 'screenPoint', n1.position[0], 0.06, n1.position[1]);
    await page.keyboard.down('Shift');
    await page.mouse.click(q!.x, q!.y);
    await page.keyboard.up('Shift');
    await poll(async () => (await diag(page, 'layout')).paths!.edges.at(-1)).toEqual(['N-02', 'N-01']);
    await poll(() => page.getByTestId('design-node-id').textContent()).toBe('Node N-01');
  }, 90_000);

  it('drags a path node to a new place on the grid', async () => {
    const n1 = (await diag(page, 'layout')).paths!.nodes.find((n) => n.id === 'N-01')!;
    const q = await diag(page, 'screenPoint', n1.position[0], 0.06, n1.position[1]);
    const r = await diag(page, 'screenPoint', n1.position[0] + 3, 0.06, n1.position[1]);
    await page.mouse.move(q!.x, q!.y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++)
      await page.mouse.move(q!.x + ((r!.x - q!.x) * i) / 5, q!.y + ((r!.y - q!.y) * i) / 5);
    await page.mouse.up();
    await poll(
      async () => (await diag(page, 'layout')).paths!.nodes.find((n) => n.id === 'N-01')!.position[0],
    ).toBeGreaterThan(n1.position[0] + 1);
    const moved = (await diag(page, 'layout')).paths!.nodes.find((n) => n.id === 'N-01')!;
    expect(moved.position[0] % 0.5).toBe(0);
  }, 90_000);

  it('shows the server’s error on a stop node that is no longer a dead-end spur, and clears it when the aisle goes', async () => {
    const l = await diag(page, 'layout');
    const rack = l.equipment.find((e) => e.kind === 'rack')!;
    const stop = String(rack.props?.node);
    await page.getByTestId('design-connect').selectOption(stop);
    await poll(() => page.getByTestId('design-node-id').textContent()).toBe(`Node ${stop}`);
    await save();
    const error = page.getByTestId('design-error').filter({ hasText: `AGV stop node "${stop}"` });
    await poll(() => error.count()).toBe(1);
    expect(
      (await serverDraft()).errors.some((e) => e.includes(`AGV stop node "${stop}" must be a dead-end spur`)),
    ).toBe(true);
    // The node itself says so in the path panel (and is drawn red in the view).
    await poll(() => page.getByTestId('design-node-problem').first().textContent()).toMatch(
      /must be a dead-end spur/,
    );
    await page.screenshot({ path: 'test-results/design-paths-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    // Removing the new aisle (the last one of the node) and saving clears the error.
    await page.getByTestId('design-aisle-remove').last().click();
    await save();
    await poll(() => error.count()).toBe(0);
  }, 90_000);

  it('draws a zone with two clicks on the floor and saves it', async () => {
    await page.getByTestId('design-path-tool').click();
    await page.getByTestId('design-tab-zones').click();
    await page.getByTestId('design-zone-draw').click();
    const [x1, z1] = await emptySpot(1);
    const [x2, z2] = await emptySpot(6);
    for (const [x, z] of [
      [x1, z1],
      [x2, z2],
    ]) {
      const p = await diag(page, 'screenPoint', x, 0, z);
      await page.mouse.click(p!.x, p!.y);
    }
    await poll(() => page.getByTestId('design-zone-pick').inputValue()).toBe('ZONE-01');
    expect(Number(await page.getByTestId('design-zone-minx').inputValue())).toBe(Math.min(x1, x2));
    expect(Number(await page.getByTestId('design-zone-maxz').inputValue())).toBe(Math.max(z1, z2));
    await page.getByTestId('design-zone-kind').selectOption('warehouse');
    await page.getByTestId('design-zone-height').fill('60');
    await poll(() => page.getByTestId('design-zone-height-problem').textContent()).toBe(
      'Must be at most 50.',
    );
    await page.getByTestId('design-zone-height').fill('6');
    await page.getByTestId('design-zone-height').press('Enter');
    await save();
    const zone = (await serverDraft()).layout.zones.find((z) => z.id === 'ZONE-01') as unknown as Record<
      string,
      unknown
    >;
    expect(zone).toMatchObject({ kind: 'warehouse', height: 6 });
  }, 90_000);

  it('creates a line and picks its flow in the view, in order', async () => {
    await page.getByTestId('design-tab-lines').click();
    await page.getByTestId('design-line-new').click();
    await poll(() => page.getByTestId('design-line-pick').inputValue()).toBe('LINE-01');
    expect(await page.getByTestId('design-flow-pick').getAttribute('aria-pressed')).toBe('true');
    for (const id of ['L3-R1', 'L3-R2']) {
      const p = await diag(page, 'screenPosition', id);
      await page.mouse.click(p!.x, p!.y);
      await poll(() => page.getByTestId('design-flow').textContent()).toContain(id);
    }
    await page.getByTestId('design-flow-up').last().click();
    await page.getByTestId('design-line-target').fill('240');
    await page.getByTestId('design-line-target').press('Enter');
    await save();
    const line = (await serverDraft()).layout.lines.find((l) => l.id === 'LINE-01');
    expect(line?.flow).toEqual(['L3-R2', 'L3-R1']);
    expect(line?.targetPerHour).toBe(240);
  }, 90_000);

  it('saves the current camera as a named viewpoint', async () => {
    await page.getByTestId('design-tab-views').click();
    await page.getByTestId('design-view-name').fill('Study view');
    await page.getByTestId('design-view-save').click();
    await poll(() => page.getByTestId('design-view-VP-01').inputValue()).toBe('Study view');
    await page.screenshot({ path: 'test-results/design-views-en.png' });
    expect(await axeViolations(page)).toEqual([]);
    await save();
    const vp = (await serverDraft()).layout.viewpoints.find((v) => v.id === 'VP-01') as unknown as {
      name: string;
      position: number[];
    };
    expect(vp.name).toBe('Study view');
    expect(vp.position).toHaveLength(3);
  }, 90_000);

  it('shows the props form and the zones tab in Chinese, axe clean', async () => {
    await page.goto(`${server.url}/design/${draftId}?lang=zh-CN`);
    await page.getByTestId('design-editor').waitFor({ timeout: 15_000 });
    await poll(() => diag(page, 'screenPosition', 'L1-R1')).not.toBeNull();
    await page.getByTestId('design-pick').selectOption('L1-R1');
    await page.getByTestId('design-prop-reach').fill('9');
    await poll(() => page.getByTestId('design-prop-reach-problem').textContent()).toBe('不能大于 4。');
    expect(await page.getByTestId('design-props').textContent()).toContain('属性');
    await page.screenshot({ path: 'test-results/design-props-zh-CN.png' });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('design-prop-reach').press('Escape');
    await page.getByTestId('design-tab-zones').click();
    expect(await page.getByTestId('design-zone-draw').textContent()).toBe('绘制区域');
    expect(await axeViolations(page)).toEqual([]);
  }, 90_000);

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
