import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TwinStats } from '../../client/state/diagnostics';

/** Debian's Chromium (CI installs it); override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a machine without a GPU or network (DESIGN: Testing). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * Whether browser tests can run. A missing browser is a loud skip on a developer machine and a
 * failure in CI (CI=true): the suite must never pass without having run them.
 */
export const hasChromium = (() => {
  if (existsSync(CHROMIUM_PATH)) return true;
  const msg = `Chromium not found at ${CHROMIUM_PATH}: browser tests cannot run (apt-get install -y chromium).`;
  if (process.env.CI) throw new Error(`${msg} CI requires them.`);
  console.warn(`\n!!! SKIPPING BROWSER TESTS: ${msg}\n`);
  return false;
})();

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and uncaught page errors. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // The location names the resource for "Failed to load resource" (the text alone does not).
    if (m.type() === 'error') errors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** The page's diagnostics (`window.__twin.stats()`), typed by the client's own definition. */
export type TwinStatsView = TwinStats;

export function twinStats(page: Page): Promise<TwinStatsView> {
  return page.evaluate(() =>
    (window as unknown as { __twin: { stats: () => TwinStatsView } }).__twin.stats(),
  );
}

/**
 * Opens `url` and logs in through the login form as `user` (e.g. `server.users.operator` from
 * startAppServer); resolves once the login page is gone (the plant connection is starting).
 */
export async function logIn(
  page: Page,
  url: string,
  user: { username: string; password: string },
): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-screen').waitFor({ state: 'detached', timeout: 15_000 });
}

/** Waits until the twin is connected, has drawn frames and has received telemetry. */
export async function waitForLivePlant(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const t = (window as unknown as { __twin?: { stats: () => TwinStatsView } }).__twin;
      if (!t) return false;
      const s = t.stats();
      return s.connected && s.equipment > 0 && s.frames > 5 && s.telemetryFrames > 2;
    },
    undefined,
    { timeout: timeoutMs, polling: 200 },
  );
}

/**
 * Counts distinct colors (coarsely binned) in a PNG screenshot, decoded by the browser itself so
 * the test needs no image library. A blank canvas has one or two.
 */
export async function distinctColors(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 16)
      seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
    return seen.size;
  }, png.toString('base64'));
}

/** Where equipment `id` is on screen (window.__twin.screenPosition), or null when not visible. */
export function screenPos(page: Page, id: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    (x) =>
      (
        window as unknown as { __twin: { screenPosition: (id: string) => { x: number; y: number } | null } }
      ).__twin.screenPosition(x),
    id,
  );
}

/** Clicks `id` in the 3D view until the inspector shows it (mobile equipment moves under the cursor). */
export async function selectEquipment(page: Page, id: string, attempts = 6): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    const pos = await screenPos(page, id);
    if (!pos) return false;
    await page.mouse.click(pos.x, pos.y);
    const shown = await page
      .getByTestId('inspector-id')
      .textContent({ timeout: 1000 })
      .catch(() => null);
    if (shown?.trim() === id) return true;
  }
  return false;
}

/** axe-core's script, injected into pages under test (the server's CSP forbids it: pages need bypassCSP). */
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's serious and critical violations on the page, or inside `selector`, as
 * `rule (impact): targets` lines (empty: none). Injects axe once per page.
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const r = (await axe.run(sel ?? document, { resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
    };
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selector ?? null);
}
