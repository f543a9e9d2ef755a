import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ModelDrawView } from '../../client/state/diagnostics';
import { type Layout, ROBOT_JOINTS } from '../../protocol';
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
import { defaultLayout } from '../helpers/server';
import { ROBOT_NODES, robotGlb } from '../server/models/fixtures';

/** expect.poll with room for a loaded machine (software WebGL on two cores). */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

type Pos = { x: number; y: number } | null;

function models(page: Page): Promise<ModelDrawView[]> {
  return page.evaluate(() =>
    (window as unknown as { __twin: { models: () => ModelDrawView[] } }).__twin.models(),
  );
}

function screenPos(page: Page, id: string): Promise<Pos> {
  return page.evaluate(
    (x) =>
      (window as unknown as { __twin: { screenPosition: (id: string) => Pos } }).__twin.screenPosition(x),
    id,
  );
}

/** Fixes every model copy at level 0, so draw calls do not depend on where the camera is. */
function pinLod(page: Page): Promise<void> {
  return page.evaluate(() =>
    (window as unknown as { __twin: { pinModelLod: (l: number | null) => void } }).__twin.pinModelLod(0),
  );
}

/**
 * The frame's draw calls once they hold still: the same number in 5 frames read in a row (the
 * plant's own markers come and go with faults; a flat count is what the comparison needs).
 */
async function steadyDrawCalls(page: Page): Promise<number> {
  let last = -1;
  let same = 0;
  for (let tries = 0; tries < 200; tries++) {
    const c = (await twinStats(page)).drawCalls;
    same = c === last ? same + 1 : 0;
    last = c;
    if (same >= 5) return c;
    await page.waitForTimeout(50);
  }
  throw new Error('draw calls never held still');
}

/** The shipped plant with 90 more robot arms in a grid in hall A: 104 arms, light enough for software WebGL. */
function manyArms(): Layout {
  const base = defaultLayout();
  const arm = base.equipment.find((e) => e.kind === 'robot-arm');
  if (arm?.kind !== 'robot-arm') throw new Error('the shipped plant has no robot arm');
  const extra = Array.from({ length: 90 }, (_, k) => ({
    ...arm,
    id: `X-R${String(k).padStart(3, '0')}`,
    name: `Extra robot ${k}`,
    names: undefined,
    line: undefined,
    position: [4 + (k % 15) * 3, 0, 32 + Math.floor(k / 15) * 3] as [number, number, number],
  }));
  return { ...base, equipment: [...base.equipment, ...extra] };
}

describe.skipIf(!hasChromium)('uploaded models in a real browser', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>;
  let browser: Browser;
  let token = '';
  let arms: string[] = [];
  const joints = Object.fromEntries(ROBOT_JOINTS.map((j, i) => [j, ROBOT_NODES[i]]));

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const upload = async (meta: object) => {
    const r = await api('/api/models', {
      method: 'POST',
      headers: { 'content-type': 'model/gltf-binary', 'x-model-meta': JSON.stringify(meta) },
      body: Buffer.from(await robotGlb()),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return (r.body.model as { id: string }).id;
  };

  /** Starts `opts`' server (closing the one before) and logs the engineer in over the API. */
  const serve = async (opts: Parameters<typeof startAppServer>[0]) => {
    await server?.close();
    server = await startAppServer(opts);
    arms = server.session.layout.equipment.filter((e) => e.kind === 'robot-arm').map((e) => e.id);
    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(server.users.engineer),
    });
    token = ((await login.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws one copy and 100 copies of a robot model with the same draw calls, and picks a modelled arm', async () => {
    await serve({ models: true, layout: manyArms() });
    expect(arms.length).toBeGreaterThanOrEqual(100);
    const page = await browser.newPage({ viewport: { width: 960, height: 600 } });
    onTestFinished(() => page.close());
    const errors = collectErrors(page);
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page, 60_000);
    await pinLod(page);
    const none = await steadyDrawCalls(page);

    // One copy: a model for one arm.
    const one = await upload({ name: 'one arm', target: { equipment: arms[0] }, joints });
    await page.reload();
    await waitForLivePlant(page, 60_000);
    await pinLod(page);
    await poll(async () =>
      (await models(page)).map((m) => [m.id, m.status, m.lods[0], m.articulated]),
    ).toEqual([[one, 'loaded', 1, true]]);
    const withOne = await steadyDrawCalls(page);
    expect(withOne).toBeGreaterThan(none);

    // Every arm: the same file for the kind (the one-arm model gone).
    expect((await api(`/api/models/${one}`, { method: 'DELETE' })).status).toBe(200);
    const all = await upload({ name: 'all arms', target: { kind: 'robot-arm' }, joints });
    await page.reload();
    // The login survives the reload (session storage); the scene reports the model once drawn.
    await page.waitForFunction(() => (window as unknown as { __twin?: unknown }).__twin, null, {
      timeout: 60_000,
    });
    await pinLod(page);
    await poll(async () => {
      const seen = (await models(page)).map((m) => [m.id, m.status, m.lods[0]]);
      return errors.length ? [seen, errors] : seen;
    }, 90_000).toEqual([[all, 'loaded', arms.length]]);
    expect(await steadyDrawCalls(page)).toBe(withOne);

    // A modelled arm is picked through the model's own pick boxes.
    let picked: string | null = null;
    for (const id of arms) {
      const pos = await screenPos(page, id);
      if (!pos) continue;
      await page.mouse.click(pos.x, pos.y);
      const shown = await page
        .getByTestId('inspector-id')
        .textContent({ timeout: 1500 })
        .catch(() => null);
      if (shown?.trim() === id) {
        picked = id;
        break;
      }
    }
    expect(picked, 'clicking a modelled arm selects it').not.toBeNull();
    expect(errors).toEqual([]);
  }, 300_000);

  it('falls back to the built-in arm when the model’s files cannot be fetched', async () => {
    await serve({ models: true, designs: true });
    const id = await upload({ name: 'unreachable', target: { kind: 'robot-arm' } });
    const page = await browser.newPage({ viewport: { width: 960, height: 600 } });
    onTestFinished(() => page.close());
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.route('**/api/models/*/lod/*.glb', (route) => route.abort());
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page, 60_000);
    await poll(async () => (await models(page)).map((m) => [m.id, m.status])).toEqual([[id, 'failed']]);
    expect(warnings.some((w) => w.includes(id) && w.includes('built-in'))).toBe(true);
    // Nothing of the model is drawn, and the built-in arms are: the scene keeps drawing frames.
    const frames = (await twinStats(page)).frames;
    await poll(async () => (await twinStats(page)).frames).toBeGreaterThan(frames + 5);
    expect((await api(`/api/models/${id}`, { method: 'DELETE' })).status).toBe(200);
  }, 180_000);

  it('shows the server’s refusal of a broken file in the Models panel', async () => {
    await serve({ designs: true });
    // bypassCSP: axe is injected as an inline script.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    onTestFinished(() => page.close());
    await logIn(page, `${server.url}/design`, server.users.engineer);
    await page.getByTestId('design-new-name').fill('models');
    await page.getByTestId('design-new').click();
    await page.getByTestId('models-toggle').click();
    await page.getByTestId('models-file').setInputFiles({
      name: 'broken.glb',
      mimeType: 'model/gltf-binary',
      buffer: Buffer.from('glTF this is not a model at all'),
    });
    await page.getByTestId('models-name').fill('broken');
    await page.getByTestId('models-upload').click();
    const notice = page.getByTestId('models-notice');
    await poll(() => notice.getAttribute('role')).toBe('alert');
    await poll(async () => (await notice.textContent()) ?? '').toMatch(
      /Not uploaded: .*(GLB|glTF|header|file)/i,
    );
    expect(await page.getByTestId('models-list').count()).toBe(0);
    expect(await axeViolations(page, '[data-testid="models-panel"]')).toEqual([]);
  }, 120_000);
});
