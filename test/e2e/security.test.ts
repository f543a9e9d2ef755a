import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, startAppServer } from '../helpers/appServer';
import { hasChromium, launchChromium, logIn, waitForLivePlant } from '../helpers/browser';
import { sleep } from '../helpers/server';

/**
 * A web page on another origin (another port) that embeds `?src=URL` in an iframe: a portal, or a
 * clickjacking page.
 */
async function startPortal(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://portal').searchParams.get('src') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Portal</title><h1>Portal</h1>` +
        `<iframe id="twin" src="${src.replace(/[&"<>]/g, '')}" width="640" height="360"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** CSP violations the page reports: console messages and `securitypolicyviolation` events. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const messages: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|frame-ancestors/i.test(m.text())) messages.push(`console: ${m.text()}`);
  });
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  return async () => {
    const events = await page
      .evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
      .catch(() => ['could not read securitypolicyviolation events']);
    return [...messages, ...events.map((e) => `event: ${e}`)];
  };
}

/** The iframe inside the portal page. */
function twinFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame());
  if (!frame) throw new Error('the portal page has no iframe');
  return frame;
}

/**
 * Waits until the twin in `frame` is connected, has drawn and has received telemetry (SwiftShader
 * draws the showcase at well under a frame a second on a busy machine: one frame proves it runs).
 */
async function waitForRunningTwin(frame: Frame): Promise<void> {
  await frame.waitForFunction(
    () => {
      const t = (
        window as unknown as {
          __twin?: { stats: () => { connected: boolean; frames: number; telemetryFrames: number } };
        }
      ).__twin;
      if (!t) return false;
      const s = t.stats();
      return s.connected && s.frames > 0 && s.telemetryFrames > 2;
    },
    undefined,
    { timeout: 120_000, polling: 250 },
  );
}

describe.skipIf(!hasChromium)('HTTP security in a real browser', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;
  /** Default configuration: no page may frame it. */
  let closed: AppServer;
  /** --frame-ancestors set to the portal's origin. */
  let embeddable: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal();
    closed = await startAppServer({ publicShowcase: true, training: true });
    embeddable = await startAppServer({ publicShowcase: true, frameAncestors: [portal.origin] });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await closed?.close();
    await embeddable?.close();
    await portal?.close();
  });

  it('refuses to let a page on another origin frame the operator console', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 500 } });
    const frameErrors: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('frame-ancestors')) frameErrors.push(m.text());
    });
    await page.goto(`${portal.origin}/?src=${encodeURIComponent(`${closed.url}/`)}`);
    await expect.poll(() => frameErrors.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(frameErrors[0]).toMatch(/frame-ancestors 'none'/);
    const frame = twinFrame(page);
    // Chromium replaces a refused frame with its own error page: no twin document, no app.
    expect(frame.url()).not.toContain(closed.url);
    expect(await frame.locator('#root').count()).toBe(0);
    await sleep(1000);
    expect(closed.app.io.engine.clientsCount).toBe(0);
    await page.close();
  }, 60_000);

  it('refuses to let a page on another origin frame the showcase', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 500 } });
    const frameErrors: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('frame-ancestors')) frameErrors.push(m.text());
    });
    await page.goto(`${portal.origin}/?src=${encodeURIComponent(`${closed.url}/showcase`)}`);
    await expect.poll(() => frameErrors.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(twinFrame(page).url()).not.toContain(closed.url);
    await page.close();
  }, 60_000);

  it('shows the showcase inside the portal allowed by --frame-ancestors', async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 500 } });
    const violations = await watchCsp(page);
    await page.goto(`${portal.origin}/?src=${encodeURIComponent(`${embeddable.url}/showcase`)}`);
    const frame = twinFrame(page);
    await waitForRunningTwin(frame);
    expect(frame.url()).toBe(`${embeddable.url}/showcase`);
    expect(await frame.getByTestId('showcase').count()).toBe(1);
    expect(await violations()).toEqual([]);
    await page.close();
  }, 180_000);

  it('runs the operator console under the policy without a single CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 960, height: 600 } });
    const violations = await watchCsp(page);
    await logIn(page, closed.url, closed.users.operator);
    await waitForLivePlant(page, 60_000);
    // Lazy chunks, fonts and textures arrive after the first frames.
    await sleep(2000);
    expect(await violations()).toEqual([]);
    await page.close();
  }, 120_000);

  it('runs the trainer console under the policy without a single CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('dialog', (d) => void d.accept());
    const violations = await watchCsp(page);
    await logIn(page, `${closed.url}/trainer`, closed.users.trainer);
    await page.getByTestId('scenario-detail').waitFor({ timeout: 30_000 });
    await page.getByTestId('scenario-create').click();
    await page
      .getByTestId('trainer-bar')
      .and(page.locator('[data-state="ready"]'))
      .waitFor({ timeout: 30_000 });
    await waitForRunningTwin(page.mainFrame());
    await sleep(2000);
    expect(await violations()).toEqual([]);
    await page.close();
  }, 180_000);

  it('runs the showcase under the policy without a single CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 960, height: 540 } });
    const violations = await watchCsp(page);
    await page.goto(`${closed.url}/showcase`);
    await waitForRunningTwin(page.mainFrame());
    await page.getByTestId('kpi-oee-value').waitFor({ timeout: 30_000 });
    await sleep(2000);
    expect(await violations()).toEqual([]);
    await page.close();
  }, 180_000);
});
