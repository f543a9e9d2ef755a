/**
 * Screenshots of the showcase (lobby screen) for the README and for looking at it:
 *   npx tsx scripts/showcaseScreenshot.ts [outDir] [--width W --height H] [--lang zh-CN] [--tour VP-HALL] [--name showcase]
 * Starts the real server with the built client, opens /showcase at a fixed viewpoint with full
 * resolution (adaptive=0: SwiftShader would otherwise lower it), waits for the tiles, writes a PNG.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAppServer } from '../test/helpers/appServer';
import { launchChromium, waitForLivePlant } from '../test/helpers/browser';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    width: { type: 'string', default: '1920' },
    height: { type: 'string', default: '1080' },
    lang: { type: 'string', default: 'en' },
    tour: { type: 'string', default: 'VP-HALL' },
    name: { type: 'string', default: 'showcase' },
    wait: { type: 'string', default: '8000' },
  },
});
const out = positionals[0] ?? 'docs';
mkdirSync(out, { recursive: true });
// The public showcase (as a lobby screen runs it): no login in front of the picture.
const server = await startAppServer({ seed: 5, speed: 20, publicShowcase: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({
    viewport: { width: Number(values.width), height: Number(values.height) },
  });
  page.on('console', (m) => m.type() === 'error' && console.error('page:', m.text()));
  await page.goto(`${server.url}/showcase?lang=${values.lang}&tour=${values.tour}&dwell=600&adaptive=0`);
  await waitForLivePlant(page, 120_000);
  await page.getByTestId('kpi-oee-value').waitFor({ timeout: 60_000 });
  await page.evaluate(() => document.fonts.ready);
  await new Promise((r) => setTimeout(r, Number(values.wait)));
  await page.screenshot({ path: join(out, `${values.name}.png`) });
  console.log(`written ${join(out, `${values.name}.png`)}`);
} finally {
  await browser.close();
  await server.close();
}
