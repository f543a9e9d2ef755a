/**
 * Screenshots of the running app for the README and for looking at the product:
 *   npx tsx scripts/screenshot.ts [outDir] [--scale N] [--width W --height H] [--speed X --wait S]
 *     [--select ID] [--role viewer|operator|trainer|admin]
 * Starts the real server with the built client and a throwaway user per role, writes the login
 * page, logs in as `--role` (default operator), waits for live data, and writes the console and
 * the inspector of the selected equipment (with the commands that role may send).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isRole } from '../protocol';
import { startAppServer } from '../test/helpers/appServer';
import { launchChromium, logIn, waitForLivePlant } from '../test/helpers/browser';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string' },
    width: { type: 'string', default: '1600' },
    height: { type: 'string', default: '900' },
    select: { type: 'string', default: 'AGV-03' },
    speed: { type: 'string', default: '1' },
    wait: { type: 'string', default: '4' },
    role: { type: 'string', default: 'operator' },
  },
});
if (!isRole(values.role)) throw new Error(`--role: expected viewer, operator, trainer or admin`);
const role = values.role;
const out = positionals[0] ?? 'docs';
mkdirSync(out, { recursive: true });
const server = await startAppServer({
  scale: values.scale ? Number(values.scale) : undefined,
  seed: 5,
  speed: Number(values.speed),
});
const browser = await launchChromium();
try {
  const page = await browser.newPage({
    viewport: { width: Number(values.width), height: Number(values.height) },
  });
  const suffix = values.scale ? `-scale${values.scale}` : '';
  await page.goto(server.url);
  await page.getByTestId('login-username').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(out, 'login.png') });
  await logIn(page, server.url, server.users[role]);
  await waitForLivePlant(page, 120_000);
  await new Promise((r) => setTimeout(r, Number(values.wait) * 1000));
  await page.screenshot({ path: join(out, `operator${suffix}.png`) });
  const pos = await page.evaluate(
    (id) =>
      (
        window as unknown as { __twin: { screenPosition: (id: string) => { x: number; y: number } | null } }
      ).__twin.screenPosition(id),
    values.select,
  );
  if (pos) {
    await page.mouse.dblclick(pos.x, pos.y);
    await new Promise((r) => setTimeout(r, 6000));
    await page.screenshot({ path: join(out, `operator-inspector${suffix}.png`) });
  }
  console.log(`screenshots written to ${out}/`);
} finally {
  await browser.close();
  await server.close();
}
