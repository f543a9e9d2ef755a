import type { Browser } from 'playwright-core';
import { startAppServer } from '../test/helpers/appServer';
import { launchChromium, logIn, twinStats, waitForLivePlant } from '../test/helpers/browser';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Draw calls, React commits and frame time of the operator page on one plant size. */
async function measure(browser: Browser, scale: number | undefined, watchS: number) {
  const server = await startAppServer({ scale });
  const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
  try {
    await logIn(page, server.url, server.users.operator);
    await waitForLivePlant(page, 120_000);
    await sleep(3000); // let the first layout commits and shader compiles pass
    const a = await twinStats(page);
    await sleep(watchS * 1000);
    const b = await twinStats(page);
    return {
      equipment: b.equipment,
      drawCalls: b.drawCalls,
      triangles: b.triangles,
      reactCommitsPerS: (b.reactCommits - a.reactCommits) / watchS,
      telemetryFramesPerS: (b.telemetryFrames - a.telemetryFrames) / watchS,
      framesPerS: (b.frames - a.frames) / watchS,
      frameMs: b.frameMs,
    };
  } finally {
    await page.close();
    await server.close();
  }
}

/** Default plant vs --scale 10000 in headless Chromium (SwiftShader: ratios matter, not absolutes). */
export async function benchBrowser(scale = 10_000) {
  const browser = await launchChromium();
  try {
    const small = await measure(browser, undefined, 10);
    const large = await measure(browser, scale, 10);
    return { default: small, scaled: large, drawCallRatio: large.drawCalls / Math.max(1, small.drawCalls) };
  } finally {
    await browser.close();
  }
}
