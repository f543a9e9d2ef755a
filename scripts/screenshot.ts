/**
 * Screenshots of the running app for the README and for looking at the product:
 *   npx tsx scripts/screenshot.ts [outDir] [--scale N] [--width W --height H] [--speed X --wait S] [--select ID]
 * Starts the real server with the built client, waits for live data, and writes PNGs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAppServer } from '../test/helpers/appServer';
import { launchChromium, waitForLivePlant } from '../test/helpers/browser';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string' },
    width: { type: 'string', default: '1600' },
    height: { type: 'string', default: '900' },
    select: { type: 'string', default: 'AGV-03' },
    speed: { type: 'string', default: '1' },
    wait: { type: 'string', default: '4' },
  },
});
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
  await page.goto(server.url);
  await waitForLivePlant(page, 120_000);
  await new Promise((r) => setTimeout(r, Number(values.wait) * 1000));
  const suffix = values.scale ? `-scale${values.scale}` : '';
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
  await server.app.close();
}
